using LinkJ.Application.Abstractions;
using LinkJ.Application.Seed;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Partners;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LinkJ.Infrastructure.Persistence.Seed;

/// <summary>
/// Adds whatever of the source document's vocabulary, partners and agreements is missing, and nothing else: records
/// already there (even if changed or deleted since) are left alone, so seeding is safe on every start.
/// </summary>
public sealed partial class DatabaseSeeder(AppDbContext db, IClock clock, VocabularyCache vocabulary, ILogger<DatabaseSeeder> logger)
{
    // Any 64-bit number unique to this job: replicas starting together seed one after the other.
    private const long AdvisoryLockKey = 0x4C494E4B4A53; // "LINKJS"

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);

        var knownScopes = await db.CooperationScopes.Select(s => s.Code).ToListAsync(cancellationToken);
        var newScopes = LinkJPressRelease2020.Scopes.Where(s => !knownScopes.Contains(s.Code)).ToList();
        db.CooperationScopes.AddRange(newScopes);
        await db.SaveChangesAsync(cancellationToken);

        var partnerIds = LinkJPressRelease2020.Partnerships.Select(p => p.PartnerId).ToList();
        var agreementIds = LinkJPressRelease2020.Partnerships.Select(p => p.AgreementId).ToList();
        var knownPartners = await db.Partners.IgnoreQueryFilters().Where(p => partnerIds.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken);
        var knownAgreements = await db.Agreements.Where(a => agreementIds.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken);

        var added = 0;
        foreach (var partnership in LinkJPressRelease2020.Partnerships)
        {
            if (!knownPartners.Contains(partnership.PartnerId))
            {
                db.Partners.Add(Partner.Create(partnership.PartnerId, partnership.Partner, clock.UtcNow));
            }

            if (!knownAgreements.Contains(partnership.AgreementId))
            {
                db.Agreements.Add(Agreement.Create(
                    partnership.AgreementId, partnership.Agreement, AgreementStatus.Active, clock.TodayInJapan, clock.UtcNow));
                added++;
            }

            // One save per partnership: the insertion sequence then follows the document's order.
            await db.SaveChangesAsync(cancellationToken);
        }

        await SeedDocumentsAsync(knownAgreements, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await transaction.DisposeAsync();
        await db.SequenceChangesAsync();
        // The seed's tallies into one row per key at once (ADR 0033), rather than at the sweep's next tick.
        await db.Database.ExecuteSqlRawAsync("SELECT fold_tallies()", CancellationToken.None);
        vocabulary.Clear();
        LogSeeded(logger, newScopes.Count, added);
    }

    /// <summary>
    /// The releases as link documents, where missing and the agreement is live. On an agreement seeded before this
    /// document existed, adding it is a change like any other (version, change feed; ADR 0038).
    /// </summary>
    private async Task SeedDocumentsAsync(List<Guid> seededBefore, CancellationToken cancellationToken)
    {
        var ids = LinkJPressRelease2020.Documents.Select(d => d.Id).ToList();
        var known = await db.AgreementDocuments.Where(d => ids.Contains(d.Id)).Select(d => d.Id).ToListAsync(cancellationToken);
        foreach (var seed in LinkJPressRelease2020.Documents.Where(d => !known.Contains(d.Id)))
        {
            var agreement = await db.Agreements.FirstOrDefaultAsync(a => a.Id == seed.AgreementId && a.DeletedAt == null, cancellationToken);
            if (agreement is null)
            {
                continue;
            }

            db.AgreementDocuments.Add(LinkJ.Domain.Documents.AgreementDocument.Link(seed.Id, seed.AgreementId, LinkJ.Domain.Documents.DocumentKind.PressRelease,
                seed.Title, seed.Language, LinkJ.Domain.Documents.DocumentVisibility.Public, seed.Url, mediaType: null, size: null, sha256: null, clock.UtcNow));
            if (seededBefore.Contains(agreement.Id))
            {
                agreement.RecordDocumentChange(clock.UtcNow);
            }

            await db.SaveChangesAsync(cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeding: added {Scopes} cooperation scopes and {Agreements} partnerships from the 2020-09-07 release.")]
    private static partial void LogSeeded(ILogger logger, int scopes, int agreements);
}
