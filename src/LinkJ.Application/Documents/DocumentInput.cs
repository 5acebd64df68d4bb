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

    /// <summary>ja required.</summary>
    public BilingualTextDto? Title { get; init; }

    /// <summary>ja or en.</summary>
    public string? Language { get; init; }

    /// <summary>public (default) or internal.</summary>
    public string? Visibility { get; init; }

    /// <summary>The fields as the domain takes them; a field that is wrong fails with its name.</summary>
    public (DocumentKind Kind, BilingualText Title, string Language, DocumentVisibility Visibility) Parse()
    {
        var kind = WireEnum.TryParse<DocumentKind>(Kind, out var k) ? k
            : throw new DomainException(new Error("document.kind-invalid", $"kind must be one of {WireEnum.Allowed<DocumentKind>()}.", ErrorKind.Validation, "kind"));
        var visibility = string.IsNullOrWhiteSpace(Visibility) ? DocumentVisibility.Public
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

/// <summary>A link to a document (not fetched).</summary>
public sealed record LinkDocumentInput : DocumentInput
{
    /// <summary>Absolute http(s) URL.</summary>
    public string? Url { get; init; }

    public string? MediaType { get; init; }

    /// <summary>If you fetched it (hex); the service does not fetch.</summary>
    public string? Sha256 { get; init; }
}

/// <summary>A document added, and its agreement's new version (its ETag: adding is a change of the agreement).</summary>
public sealed record AddedDocument(AgreementDocumentDto Document, int AgreementVersion);
