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
        var id = query.OfPartner is { } partner
            ? await partners.FindIdAsync(partner, liveOnly: false, cancellationToken) ?? throw new DomainException(PartnerErrors.NotFound)
            : query.OfAgreement is { } agreementId && await changes.AgreementExistsAsync(agreementId, cancellationToken)
                ? agreementId
                : throw new DomainException(AgreementErrors.NotFound);

        return await changes.HistoryAsync(query.ResourceType, id, cancellationToken);
    }
}
