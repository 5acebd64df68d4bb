using System.Text;

namespace LinkJ.Application.Common;

/// <summary>
/// Search text is compared NFKC-normalised and lower-cased on both sides (the database computes the stored side the
/// same way), so ＵＣＬＡ, ucla and UCLA find the same partner.
/// </summary>
public static class Search
{
    public const int MaxLength = 200;

    public static string Normalize(string text) => text.Trim().Normalize(NormalizationForm.FormKC).ToLowerInvariant();

    /// <summary>A LIKE pattern (escape character <c>\</c>) that finds <paramref name="text"/> anywhere.</summary>
    public static string ContainsPattern(string text) =>
        "%" + Normalize(text).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
