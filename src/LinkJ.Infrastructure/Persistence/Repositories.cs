using LinkJ.Application.Abstractions;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>The agreements of the write side, on the primary's context, tracked.</summary>
public sealed class AgreementRepository(AppDbContext db) : IAgreementRepository
{
    public Task<Agreement?> FindLiveAsync(Guid id, CancellationToken cancellationToken) =>
        db.Agreements.FirstOrDefaultAsync(a => a.Id == id && a.DeletedAt == null, cancellationToken);

    public Task<Agreement?> FindByReferenceAsync(ExternalReference reference, CancellationToken cancellationToken) =>
        db.Agreements.FirstOrDefaultAsync(a => a.ExternalRef!.Source == reference.Source && a.ExternalRef.Id == reference.Id, cancellationToken);

    public async Task<IReadOnlyList<Agreement>> ListEndedActiveAsync(DateOnly today, int max, CancellationToken cancellationToken) =>
        await db.Agreements
            .Where(a => a.DeletedAt == null && a.Status == AgreementStatus.Active && a.Validity.Until < today)
            .OrderBy(a => a.Validity.Until)
            .ThenBy(a => a.Id)
            .Take(max)
            .ToListAsync(cancellationToken);

    public AgreementOrdinal? InsertedOrdinal(Agreement agreement)
    {
        var entry = db.Agreements.Entry(agreement);
        return AgreementOrdinal.FromColumns(
            agreement.Id,
            entry.Property<long?>(Configurations.ShadowProperties.OrdinalOverall).CurrentValue,
            entry.Property<long?>(Configurations.ShadowProperties.OrdinalWithinKind).CurrentValue);
    }

    public void Add(Agreement aggregate) => db.Agreements.Add(aggregate);
}

/// <summary>The partners of the write side, on the primary's context, tracked.</summary>
public sealed class PartnerRepository(AppDbContext db) : IPartnerRepository
{
    public Task<Partner?> FindLiveAsync(string idOrSlug, CancellationToken cancellationToken) =>
        db.Partners.WhereIdOrSlug(idOrSlug).FirstOrDefaultAsync(p => p.DeletedAt == null, cancellationToken);

    public Task<Partner?> FindByReferenceAsync(ExternalReference reference, CancellationToken cancellationToken) =>
        db.Partners.FirstOrDefaultAsync(p => p.ExternalRef!.Source == reference.Source && p.ExternalRef.Id == reference.Id, cancellationToken);

    public Task<bool> IsLiveAsync(Guid id, CancellationToken cancellationToken) =>
        db.Partners.AnyAsync(p => p.Id == id && p.DeletedAt == null, cancellationToken);

    public Task<Partner?> ReadLiveAsync(Guid id, CancellationToken cancellationToken) =>
        db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.DeletedAt == null, cancellationToken);

    public Task<bool> HasLiveAgreementsAsync(Guid partnerId, CancellationToken cancellationToken) =>
        db.Agreements.AnyAsync(a => a.PartnerId == partnerId && a.DeletedAt == null, cancellationToken);

    public void Add(Partner aggregate) => db.Partners.Add(aggregate);
}

/// <summary>Finds a partner by id or slug, the two ways a URL can name one.</summary>
internal static class PartnerLookup
{
    public static IQueryable<Partner> WhereIdOrSlug(this IQueryable<Partner> partners, string idOrSlug)
    {
        if (Guid.TryParse(idOrSlug, out var id))
        {
            return partners.Where(p => p.Id == id);
        }

        if (!Slug.IsValid(idOrSlug))
        {
            return partners.Where(p => false);
        }

        var slug = Slug.Create(idOrSlug);
        return partners.Where(p => p.Slug == slug);
    }
}
