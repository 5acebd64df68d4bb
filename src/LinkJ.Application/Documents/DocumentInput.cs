using LinkJ.Application.Common;
using LinkJ.Application.Common.Dtos;
using LinkJ.Domain.Common;
using LinkJ.Domain.Documents;

namespace LinkJ.Application.Documents;

/// <summary>What describes any document: the fields of an upload's form, or of a link's JSON.</summary>
public record DocumentInput
{
    /// <summary>press-release, signed-mou or annex.</summary>
    public string? Kind { get; init; }

    /// <summary>The title: Japanese required, English optional.</summary>
    public BilingualTextDto? Title { get; init; }

    /// <summary>The document's language: ja or en.</summary>
    public string? Language { get; init; }

    /// <summary>public (default) or internal.</summary>
    public string? Visibility { get; init; }

    /// <summary>The fields as the domain takes them; a field that is wrong fails with its name.</summary>
    public (DocumentKind Kind, BilingualText Title, string Language, DocumentVisibility Visibility) Parse()
    {
        var kind = WireEnum.TryParse<DocumentKind>(Kind, out var k) ? k
            : throw new DomainException(new Error("document.kind-invalid", $"kind must be one of {WireEnum.Allowed<DocumentKind>()}.", ErrorKind.Validation, "kind"));
        var visibility = Visibility is null ? DocumentVisibility.Public
            : WireEnum.TryParse<DocumentVisibility>(Visibility, out var v) ? v
            : throw new DomainException(new Error("document.visibility-invalid", $"visibility must be one of {WireEnum.Allowed<DocumentVisibility>()}.", ErrorKind.Validation, "visibility"));
        if (Language is not ("ja" or "en"))
        {
            throw new DomainException(DocumentErrors.InvalidLanguage.ForField("language"));
        }

        BilingualText title;
        try
        {
            title = BilingualText.Create(Title?.Ja, Title?.En, AgreementDocument.MaxTitleLength);
        }
        catch (DomainException invalid)
        {
            throw new DomainException(invalid.Error.ForField(Title?.Ja is null ? "title.ja" : "title"));
        }

        return (kind, title, Language, visibility);
    }
}

/// <summary>A link to a document published elsewhere (JSON body of the add).</summary>
public sealed record LinkDocumentInput : DocumentInput
{
    /// <summary>Where the document is published: an absolute http(s) URL.</summary>
    public string? Url { get; init; }

    /// <summary>What it is, e.g. text/html or application/pdf (optional).</summary>
    public string? MediaType { get; init; }

    /// <summary>Only if you fetched it: its size in bytes.</summary>
    public long? Size { get; init; }

    /// <summary>Only if you fetched it: the SHA-256 of what you fetched, in hex. The service does not fetch links.</summary>
    public string? Sha256 { get; init; }
}

/// <summary>A document added, and its agreement's new version (its ETag: adding is a change of the agreement).</summary>
public sealed record AddedDocument(AgreementDocumentDto Document, int AgreementVersion);
