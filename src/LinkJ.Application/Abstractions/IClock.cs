namespace LinkJ.Application.Abstractions;

/// <summary>The current time, so that rules that depend on it (expiry) can be tested.</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }

    /// <summary>Today's date in Japan, where LINK-J's agreements are dated.</summary>
    DateOnly TodayInJapan { get; }
}
