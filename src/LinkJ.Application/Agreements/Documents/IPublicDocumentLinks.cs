using LinkJ.Domain.Common;

namespace LinkJ.Application.Agreements.Documents;

/// <summary>
/// The public documents of agreements (press release, signed MOU, annex), as links a web page can show: the
/// partnerships page's documents cell reads them for the agreements it lists, in one call. Implemented over the
/// documents' query service by <see cref="Application.Documents.PublicDocumentLinks"/>.
/// </summary>
public interface IPublicDocumentLinks
{
    /// <summary>Each listed agreement's public documents, in the order to show them; agreements without any may be left out.</summary>
    Task<IReadOnlyDictionary<Guid, IReadOnlyList<PublicDocumentLink>>> ForAgreementsAsync(
        IReadOnlyCollection<Guid> agreementIds, Language language, CancellationToken cancellationToken);
}

/// <summary>One public document of an agreement as a page links it.</summary>
/// <param name="Title">Its title in the page's language (Japanese where it has no English one).</param>
/// <param name="Href">Where it is downloaded: a path of this API (<c>/api/v1/agreements/{id}/documents/{documentId}</c>) or an absolute URL.</param>
/// <param name="Language">The language of the document itself (ja or en), for the link's hreflang.</param>
/// <param name="MediaType">application/pdf, image/png, text/html for a linked page, …</param>
/// <param name="SizeBytes">Its size, when stored here.</param>
public sealed record PublicDocumentLink(string Title, string Href, string Language, string MediaType, long? SizeBytes);
