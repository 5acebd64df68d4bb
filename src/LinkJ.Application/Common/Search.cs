using System.Text;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Common;

/// <summary>
/// Search text is compared NFKC-normalised and lower-cased on both sides (the database computes the stored side the
/// same way), so ＵＣＬＡ, ucla and UCLA find the same partner.
/// </summary>
public static class Search
{
    public const int MaxLength = 200;

    /// <summary>The rule a sent search text keeps (checked by <see cref="WireParse.Search"/>, once).</summary>
    public static bool IsValid(string text) =>
        !string.IsNullOrWhiteSpace(text) && text.Length <= MaxLength && !text.Any(char.IsControl) && !UnicodeRules.HasNoncharacter(text);

    /// <summary>The message of a search text that breaks <see cref="IsValid"/>.</summary>
    public static string Message(string field) => $"{field} is 1 to {MaxLength} characters of text.";

    /// <summary>
    /// The text as the stored search texts are written. Called once per request, by <see cref="SearchTerm.Of"/> (ADR
    /// 0054): what comes after takes the <see cref="SearchTerm"/>.
    /// </summary>
    public static string Normalize(string text) => text.Trim().Normalize(NormalizationForm.FormKC).ToLowerInvariant();
}

/// <summary>
/// A search's text, normalised (<see cref="Search.Normalize"/>) when the request is parsed, at the edge (ADR 0054): the
/// handlers and the query services take it as it is and normalise nothing again.
/// </summary>
public sealed record SearchTerm
{
    private SearchTerm(string text) => Text = text;

    /// <summary>The normalised text.</summary>
    public string Text { get; }

    /// <summary>The term for a text as sent (the edge has checked it: <see cref="WireParse.Search"/>).</summary>
    public static SearchTerm Of(string sent) => new(Search.Normalize(sent));

    /// <summary>A LIKE pattern (escape character <c>\</c>) that finds the term anywhere.</summary>
    public string ContainsPattern =>
        "%" + Text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    public override string ToString() => Text;
}
