using LinkJ.Application.Common;
using LinkJ.Application.Common.Dtos;
using LinkJ.Domain.Documents;

namespace LinkJ.Application.Documents;

/// <summary>A document as the API shows it.</summary>
public static class DocumentMapping
{
    /// <summary>Where a stored file's bytes are served.</summary>
    public static string ContentUrl(Guid agreementId, Guid documentId) => $"/api/v1/agreements/{agreementId}/documents/{documentId}/content";

    public static AgreementDocumentDto ToDto(this AgreementDocument document) => new(
        document.Id,
        document.AgreementId,
        WireEnum.ToWire(document.Kind),
        new BilingualTextDto(document.Title.Ja, document.Title.En),
        document.Language,
        WireEnum.ToWire(document.Visibility),
        document.IsFile ? "file" : "link",
        document.MediaType,
        document.Size,
        document.Sha256,
        document.FileName,
        document.Url,
        document.IsFile ? ContentUrl(document.AgreementId, document.Id) : null,
        document.CreatedAt);
}
