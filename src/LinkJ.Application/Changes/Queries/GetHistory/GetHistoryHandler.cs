using LinkJ.Application.Abstractions;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Changes.Queries.GetHistory;

public sealed class GetHistoryHandler(IAppDbContext db) : IQueryHandler<GetHistoryQuery, IReadOnlyList<HistoryEntryDto>>
{
    public async ValueTask<IReadOnlyList<HistoryEntryDto>> Handle(GetHistoryQuery query, CancellationToken cancellationToken)
    {
        // A deleted resource still has a history: its tombstone is the last entry.
        var id = query.ResourceType == GetHistoryQuery.Partner
            ? await db.Partners.AsNoTracking().WhereIdOrSlug(query.IdOrSlug).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new DomainException(Domain.Partners.PartnerErrors.NotFound)
            : Guid.TryParse(query.IdOrSlug, out var agreementId) && await db.Agreements.AnyAsync(a => a.Id == agreementId, cancellationToken)
                ? agreementId
                : throw new DomainException(AgreementErrors.NotFound);

        var entries = await db.Changes
            .Where(c => c.ResourceType == query.ResourceType && c.ResourceId == id)
            .OrderBy(c => c.Seq) // write order: a resource's changes are written one after the other's commit
            .ToListAsync(cancellationToken);
        return [.. entries.Select(c => new HistoryEntryDto(c.Version, c.Operation, c.OccurredAt, c.Actor, c.ChangedFields))];
    }
}
