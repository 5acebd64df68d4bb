using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;

namespace LinkJ.Application.Changes.Queries.GetHistory;

public sealed class GetHistoryHandler(IChangeQueries changes, IPartnerQueries partners) : IQueryHandler<GetHistoryQuery, IReadOnlyList<HistoryEntryDto>>
{
    public async ValueTask<IReadOnlyList<HistoryEntryDto>> Handle(GetHistoryQuery query, CancellationToken cancellationToken)
    {
        // A deleted resource still has a history: its tombstone is the last entry.
        var id = query.ResourceType == GetHistoryQuery.Partner
            ? await partners.FindIdAsync(query.IdOrSlug, liveOnly: false, cancellationToken) ?? throw new DomainException(PartnerErrors.NotFound)
            : Guid.TryParse(query.IdOrSlug, out var agreementId) && await changes.AgreementExistsAsync(agreementId, cancellationToken)
                ? agreementId
                : throw new DomainException(AgreementErrors.NotFound);

        return await changes.HistoryAsync(query.ResourceType, id, cancellationToken);
    }
}
