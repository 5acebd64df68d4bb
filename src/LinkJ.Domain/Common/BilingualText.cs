namespace LinkJ.Domain.Common;

/// <summary>
/// A text in Japanese and, where known, English: <c>{"ja": "大阪府", "en": "Osaka Prefecture"}</c>.
/// Japanese is required; both are trimmed and bounded.
/// </summary>
public sealed record BilingualText
{
    public const int MaxLength = 500;

    private BilingualText(string ja, string? en)
    {
        Ja = ja;
        En = en;
    }

    /// <summary>The Japanese text, as written in LINK-J's documents.</summary>
    public string Ja { get; private init; }

    /// <summary>The English text, as the organisation spells it; null when unknown.</summary>
    public string? En { get; private init; }

    public static BilingualText Create(string? ja, string? en = null, int maxLength = MaxLength)
    {
        var japanese = Guard.OptionalText(ja, maxLength) ?? throw new DomainException(CommonErrors.JapaneseTextRequired);
        return new BilingualText(japanese, Guard.OptionalText(en, maxLength));
    }

    /// <summary>The text in the wanted language, falling back to the other one when it is missing.</summary>
    public string In(Language language) => language == Language.English ? En ?? Ja : Ja;

    /// <summary>Which language <see cref="In"/> actually gives for <paramref name="wanted"/>.</summary>
    public Language Resolve(Language wanted) => wanted == Language.English && En is null ? Language.Japanese : wanted;
}
