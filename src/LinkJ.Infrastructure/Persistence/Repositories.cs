using LinkJ.Application.Abstractions;
using LinkJ.Application.Partners;
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
    public Task<Partner?> FindLiveAsync(PartnerRef partner, CancellationToken cancellationToken) =>
        partner.Id is { } id ? db.Partners.FirstOrDefaultAsync(p => p.Id == id && p.DeletedAt == null, cancellationToken)
        : partner.Slug is { } slug ? db.Partners.FirstOrDefaultAsync(p => p.Slug == slug && p.DeletedAt == null, cancellationToken)
        : Task.FromResult<Partner?>(null); // text that is neither names no partner: a 404 without a round trip

    public Task<Partner?> FindByReferenceAsync(ExternalReference reference, CancellationToken cancellationToken) =>
        db.Partners.FirstOrDefaultAsync(p => p.ExternalRef!.Source == reference.Source && p.ExternalRef.Id == reference.Id, cancellationToken);

    /// <summary>
    /// Whether the partner is live. An agreement this unit of work read live with that very partner answers it without
    /// a query (ADR 0045): a partner cannot be deleted while it has live agreements (partners_no_live_agreements), and
    /// the agreement's save only succeeds at the version it was read at, still live. Any other partner is looked up.
    /// </summary>
    public Task<bool> IsLiveAsync(Guid id, CancellationToken cancellationToken) =>
        ReadLiveWithAgreement(id) ? Task.FromResult(true) : db.Partners.AnyAsync(p => p.Id == id && p.DeletedAt == null, cancellationToken);

    private bool ReadLiveWithAgreement(Guid partnerId)
    {
        foreach (var entry in db.ChangeTracker.Entries<Agreement>())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Modified
                && entry.OriginalValues.GetValue<Guid>(nameof(Agreement.PartnerId)) == partnerId
                && entry.OriginalValues.GetValue<DateTimeOffset?>(nameof(Agreement.DeletedAt)) is null)
            {
                return true;
            }
        }

        return false;
    }

    public Task<Partner?> ReadLiveAsync(Guid id, CancellationToken cancellationToken) =>
        db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.DeletedAt == null, cancellationToken);

    public Task<bool> HasLiveAgreementsAsync(Guid partnerId, CancellationToken cancellationToken) =>
        db.Agreements.AnyAsync(a => a.PartnerId == partnerId && a.DeletedAt == null, cancellationToken);

    public void Add(Partner aggregate) => db.Partners.Add(aggregate);
}

/// <summary>The agreements' documents of the write side, on the primary's context, tracked.</summary>
public sealed class AgreementDocumentRepository(AppDbContext db) : IAgreementDocumentRepository
{
    public Task<LinkJ.Domain.Documents.AgreementDocument?> FindAsync(Guid agreementId, Guid documentId, CancellationToken cancellationToken) =>
        db.AgreementDocuments.FirstOrDefaultAsync(d => d.Id == documentId && d.AgreementId == agreementId, cancellationToken);

    public async Task EnsureRoomAsync(Guid agreementId, CancellationToken cancellationToken)
    {
        if (await db.AgreementDocuments.CountAsync(d => d.AgreementId == agreementId, cancellationToken) >= LinkJ.Domain.Documents.AgreementDocument.MaxPerAgreement)
        {
            throw new DomainException(LinkJ.Domain.Documents.DocumentErrors.TooMany);
        }
    }

    public void Add(LinkJ.Domain.Documents.AgreementDocument document) => db.AgreementDocuments.Add(document);

    public void Remove(LinkJ.Domain.Documents.AgreementDocument document) => db.AgreementDocuments.Remove(document);
}
