using LinkJ.Domain.Common;

namespace LinkJ.Domain.Documents;

/// <summary>What a document is to its agreement.</summary>
public enum DocumentKind
{
    /// <summary>The press release that announced the agreement.</summary>
    PressRelease,

    /// <summary>The signed memorandum itself.</summary>
    SignedMou,

    /// <summary>An annex or attachment.</summary>
    Annex,
}

/// <summary>Who may read a document.</summary>
public enum DocumentVisibility
{
    /// <summary>Anyone, without a key.</summary>
    Public,

    /// <summary>Only with an API key that may read internal data.</summary>
    Internal,
}

/// <summary>
/// A document of an agreement (ADR 0038): either a stored file (PDF or image, at most <see cref="MaxFileBytes"/>, its
/// bytes kept by the document store under the document's id) or a link to where it is published, with the SHA-256
/// of what was fetched when it was added, if it was. Belongs to its agreement: adding or removing one is a change of
/// the agreement (<see cref="Agreements.Agreement.RecordDocumentChange"/>).
/// </summary>
public sealed class AgreementDocument
{
    /// <summary>The largest stored file: 20 MiB.</summary>
    public const long MaxFileBytes = 20L * 1024 * 1024;

    public const int MaxUrlLength = 2000;
    public const int MaxFileNameLength = 255;
    public const int MaxMediaTypeLength = 100;
    public const int MaxTitleLength = 300;

    /// <summary>How many documents one agreement may have.</summary>
    public const int MaxPerAgreement = 50;

    private AgreementDocument()
    {
    }

    public Guid Id { get; private set; }

    public Guid AgreementId { get; private set; }

    public DocumentKind Kind { get; private set; }

    public BilingualText Title { get; private set; } = null!;

    /// <summary>The document's language: <c>ja</c> or <c>en</c>.</summary>
    public string Language { get; private set; } = "ja";

    public DocumentVisibility Visibility { get; private set; }

    /// <summary>For a file, the type its bytes were recognised as; for a link, what the client said it is, if it did.</summary>
    public string? MediaType { get; private set; }

    /// <summary>Bytes: a file's size; a link's only if it was fetched.</summary>
    public long? Size { get; private set; }

    /// <summary>SHA-256 of the bytes, lower-case hex; null for a link that was not fetched.</summary>
    public string? Sha256 { get; private set; }

    /// <summary>A file's name, for downloads (Content-Disposition); null for a link.</summary>
    public string? FileName { get; private set; }

    /// <summary>A link's absolute http(s) URL; null for a stored file.</summary>
    public string? Url { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public bool IsFile => Url is null;

    /// <summary>A stored file, after its bytes were stored and checked.</summary>
    public static AgreementDocument File(Guid id, Guid agreementId, DocumentKind kind, BilingualText title, string language,
        DocumentVisibility visibility, string fileName, string mediaType, long size, string sha256, DateTimeOffset now)
    {
        Guard.That(size is > 0 and <= MaxFileBytes, DocumentErrors.TooLarge);
        var name = Guard.OptionalText(fileName, MaxFileNameLength) ?? throw new DomainException(DocumentErrors.FileNameRequired);
        Guard.That(name.IndexOfAny(['/', '\\']) < 0, DocumentErrors.FileNameRequired);
        return new AgreementDocument
        {
            Id = id, AgreementId = agreementId, Kind = Checked(kind), Title = title, Language = CheckedLanguage(language), Visibility = Checked(visibility),
            FileName = name, MediaType = mediaType, Size = size, Sha256 = CheckedHash(sha256), CreatedAt = now,
        };
    }

    /// <summary>A link; <paramref name="sha256"/> and <paramref name="size"/> only if its content was fetched.</summary>
    public static AgreementDocument Link(Guid id, Guid agreementId, DocumentKind kind, BilingualText title, string language,
        DocumentVisibility visibility, string url, string? mediaType, long? size, string? sha256, DateTimeOffset now)
    {
        Guard.That(url.Length <= MaxUrlLength && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp),
            DocumentErrors.InvalidUrl);
        Guard.That(size is null or >= 0, DocumentErrors.InvalidSize);
        Guard.That(mediaType is null || (mediaType.Length <= MaxMediaTypeLength && MediaTypePattern(mediaType)), DocumentErrors.InvalidMediaType);
        return new AgreementDocument
        {
            Id = id, AgreementId = agreementId, Kind = Checked(kind), Title = title, Language = CheckedLanguage(language), Visibility = Checked(visibility),
            Url = url, MediaType = mediaType?.ToLowerInvariant(), Size = size, Sha256 = sha256 is null ? null : CheckedHash(sha256), CreatedAt = now,
        };
    }

    /// <summary>Whether <paramref name="hash"/> is a SHA-256 in hex (64 digits).</summary>
    public static bool IsSha256(string? hash) =>
        hash is { Length: 64 } && hash.All(char.IsAsciiHexDigit);

    private static string CheckedHash(string hash)
    {
        Guard.That(IsSha256(hash), DocumentErrors.InvalidSha256);
        return hash.ToLowerInvariant();
    }

    private static string CheckedLanguage(string language)
    {
        Guard.That(language is "ja" or "en", DocumentErrors.InvalidLanguage);
        return language;
    }

    private static T Checked<T>(T value)
        where T : struct, Enum
    {
        Guard.That(Enum.IsDefined(value), DocumentErrors.InvalidValue);
        return value;
    }

    private static bool MediaTypePattern(string mediaType) =>
        mediaType.Split('/') is [{ Length: > 0 } type, { Length: > 0 } subtype]
        && (type + subtype).All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '-');
}

/// <summary>The file types the service keeps, recognised by their first bytes (magic numbers), never by name or declared type.</summary>
public static class DocumentContent
{
    /// <summary>How many leading bytes <see cref="Detect"/> needs.</summary>
    public const int HeadLength = 12;

    public static IReadOnlyList<string> MediaTypes { get; } = ["application/pdf", "image/png", "image/jpeg", "image/webp"];

    /// <summary>The media type of content starting with <paramref name="head"/>; null when it is none the service keeps.</summary>
    public static string? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        return null;
    }
}

/// <summary>The catalogue of document errors; each code is stable.</summary>
public static class DocumentErrors
{
    public static readonly Error NotFound =
        new("document.not-found", "The agreement has no document with this id.", ErrorKind.NotFound);

    public static readonly Error TooLarge =
        new("document.too-large", $"A stored file may be at most {AgreementDocument.MaxFileBytes / 1024 / 1024} MiB (and not empty).", ErrorKind.TooLarge);

    public static readonly Error UnsupportedContent =
        new("document.unsupported-content", "Only PDF, PNG, JPEG and WebP files are kept; the file's bytes are none of these (its name and declared type do not count).", ErrorKind.UnsupportedContent);

    public static readonly Error FileNameRequired =
        new("document.file-name-invalid", $"The file needs a name of 1 to {AgreementDocument.MaxFileNameLength} characters, without slashes.", ErrorKind.Validation);

    public static readonly Error InvalidUrl =
        new("document.url-invalid", $"A link must be an absolute http or https URL of at most {AgreementDocument.MaxUrlLength} characters.", ErrorKind.Validation);

    public static readonly Error InvalidSha256 =
        new("document.sha256-invalid", "A SHA-256 is 64 hexadecimal digits.", ErrorKind.Validation);

    public static readonly Error HashMismatch =
        new("document.sha256-mismatch", "The file's SHA-256 is not the sha256 you sent: it was not stored.", ErrorKind.BusinessRule);

    public static readonly Error InvalidLanguage =
        new("document.language-invalid", "A document's language is ja or en.", ErrorKind.Validation);

    public static readonly Error InvalidMediaType =
        new("document.media-type-invalid", "A media type is type/subtype, e.g. text/html.", ErrorKind.Validation);

    public static readonly Error InvalidSize =
        new("document.size-invalid", "A size is a number of bytes, 0 or more.", ErrorKind.Validation);

    public static readonly Error InvalidValue =
        new("document.value-invalid", "Unknown kind or visibility.", ErrorKind.Validation);

    public static readonly Error TooMany =
        new("document.too-many", $"An agreement may have at most {AgreementDocument.MaxPerAgreement} documents.", ErrorKind.BusinessRule);

}
