using System.Text.RegularExpressions;

namespace LinkJ.Api.Observability;

/// <summary>
/// Takes secrets out of a log text, whatever wrote it: API keys (<c>lj_&lt;prefix&gt;_&lt;secret&gt;</c>: the prefix,
/// which <c>keys list</c> shows, stays), calendar feed tokens (<c>ljcal_…</c>) and passwords in connection strings. The request log never records headers in
/// the first place, and nothing logs a connection string on purpose; this is the net under both.
/// </summary>
public static partial class LogRedaction
{
    public const string Mask = "[redacted]";

    public static string Redact(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        // Every request logs a line: skip a pattern when the text lacks what any match of it must contain (scanning
        // for a URI's scheme at every letter cost more than the rest of the line).
        if (text.Contains("lj_", StringComparison.Ordinal))
        {
            text = ApiKey().Replace(text, "lj_$1_" + Mask);
        }

        if (text.Contains("ljcal_", StringComparison.Ordinal))
        {
            text = FeedToken().Replace(text, "ljcal_$1_" + Mask);
        }

        if (text.Contains('='))
        {
            text = ConnectionStringSecret().Replace(text, "$1=" + Mask);
        }

        return text.Contains("://", StringComparison.Ordinal) ? UriPassword().Replace(text, "$1" + Mask + "@") : text;
    }

    [GeneratedRegex("lj_([0-9a-f]{8})_[0-9a-f]{64}", RegexOptions.CultureInvariant)]
    private static partial Regex ApiKey();

    /// <summary>A calendar feed token (ADR 0036), which travels in a query string.</summary>
    [GeneratedRegex("ljcal_([0-9a-f]{8})_[0-9a-f]{64}", RegexOptions.CultureInvariant)]
    private static partial Regex FeedToken();

    [GeneratedRegex(@"\b(Password|Pwd)\s*=\s*(?:""[^""]*""|'[^']*'|[^;""'\s]*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringSecret();

    /// <summary>The password of a URI such as <c>postgresql://user:secret@host/db</c>.</summary>
    [GeneratedRegex(@"(\b[a-z][a-z0-9+.-]*://[^:/\s@]+:)[^@\s/]+@", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UriPassword();
}
