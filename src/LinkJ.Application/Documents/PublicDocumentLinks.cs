using LinkJ.Application.Agreements.Documents;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Documents;

/// <summary>
/// The partnerships page's documents cell (<see cref="IPublicDocumentLinks"/>), from the agreements' public documents:
/// one round trip for every listed agreement (<see cref="IAgreementDocumentQueries.ListPublicAsync"/>). A stored file
/// links to its download, a link to its URL.
/// </summary>
public sealed class PublicDocumentLinks(IAgreementDocumentQueries documents) : IPublicDocumentLinks
{
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<PublicDocumentLink>>> ForAgreementsAsync(
        IReadOnlyCollection<Guid> agreementIds, Language language, CancellationToken cancellationToken)
    {
        if (agreementIds.Count == 0)
        {
            return new Dictionary<Guid, IReadOnlyList<PublicDocumentLink>>();
        }

        var found = await documents.ListPublicAsync(agreementIds, cancellationToken);
        return found.ToDictionary(
            pair => pair.Key,
            pair => (IReadOnlyList<PublicDocumentLink>)[.. pair.Value.Select(d => new PublicDocumentLink(
                language == Language.English ? d.Title.En ?? d.Title.Ja : d.Title.Ja,
                d.ContentUrl ?? d.Url!,
                d.Language,
                d.MediaType ?? "text/html",
                d.Storage == "file" ? d.Size : null))]);
    }
}
