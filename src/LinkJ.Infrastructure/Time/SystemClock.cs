using LinkJ.Application.Abstractions;

namespace LinkJ.Infrastructure.Time;

public sealed class SystemClock(TimeProvider time) : IClock
{
    private static readonly TimeSpan JapanOffset = TimeSpan.FromHours(9); // JST has no daylight saving

    /// <summary>Now, to the microsecond: what PostgreSQL keeps, so that what a write returns is what a read finds.</summary>
    public DateTimeOffset UtcNow
    {
        get
        {
            var now = time.GetUtcNow();
            return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        }
    }

    public DateOnly TodayInJapan => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(JapanOffset).DateTime);
}
