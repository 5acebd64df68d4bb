namespace LinkJ.Application.Security;

/// <summary>The calendar feed tokens of API keys (ADR 0036): derived from a key, revoked with it, not the key itself.</summary>
public interface ICalendarFeedTokens
{
    /// <summary>The key prefix a token names (the failed-attempt budget is kept per prefix), or null when it is not a token.</summary>
    string? PrefixOf(string? token);

    /// <summary>True when <paramref name="token"/> is the feed token of a live key (compared in constant time).</summary>
    Task<bool> IsValidAsync(string? token, CancellationToken cancellationToken);
}
