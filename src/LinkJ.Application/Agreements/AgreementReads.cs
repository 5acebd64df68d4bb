using LinkJ.Application.Abstractions;
using LinkJ.Application.CooperationScopes;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Agreements;

public static class AgreementReads
{
    /// <summary>One live agreement as the API shows it, or <see cref="AgreementErrors.NotFound"/>.</summary>
    public static async Task<AgreementDto> ReadAgreementAsync(this IAppDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var row = await db.Agreements.AsNoTracking()
            .Where(a => a.Id == id && a.DeletedAt == null)
            .Join(db.Partners.AsNoTracking(), a => a.PartnerId, p => p.Id, (a, p) => new { Agreement = a, Partner = p })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(AgreementErrors.NotFound);

        var ordinal = await db.AgreementOrdinals.FirstOrDefaultAsync(o => o.AgreementId == id, cancellationToken);
        var vocabulary = await db.LoadVocabularyAsync(cancellationToken);
        return row.Agreement.ToDto(row.Partner.ToSummary(), ordinal, vocabulary);
    }

    /// <summary>
    /// The agreement to change, tracked, if its version is still <paramref name="expectedVersion"/> (the client's If-Match);
    /// otherwise not found, or stale with the current version.
    /// </summary>
    public static async Task<Agreement> LoadForChangeAsync(this IAppDbContext db, Guid id, int? expectedVersion, CancellationToken cancellationToken)
    {
        var agreement = await db.Agreements.FirstOrDefaultAsync(a => a.Id == id && a.DeletedAt == null, cancellationToken)
            ?? throw new DomainException(AgreementErrors.NotFound);
        if (expectedVersion is { } expected && expected != agreement.Version)
        {
            throw new DomainException(CommonErrors.StaleVersion(agreement.Version));
        }

        return agreement;
    }

    /// <summary>Saves; a writer that lost the race on the same version gets the stale-version error, not a lost update.</summary>
    public static async Task SaveChangeAsync(this IAppDbContext db, Agreement agreement, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.Agreements.AsNoTracking().Where(a => a.Id == agreement.Id).Select(a => a.Version).FirstOrDefaultAsync(cancellationToken);
            throw new DomainException(CommonErrors.StaleVersion(current));
        }
    }
}
