using LinkJ.Application.Abstractions;

namespace LinkJ.Infrastructure.Time;

public sealed class SystemClock(TimeProvider time) : IClock
{
    private static readonly TimeSpan JapanOffset = TimeSpan.FromHours(9); // JST has no daylight saving

    public DateTimeOffset UtcNow => time.GetUtcNow();

    public DateOnly TodayInJapan => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(JapanOffset).DateTime);
}
