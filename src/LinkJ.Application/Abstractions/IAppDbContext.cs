using LinkJ.Domain.Agreements;
using LinkJ.Domain.CooperationScopes;
using LinkJ.Domain.Partners;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Abstractions;

/// <summary>The database as the use cases see it: EF Core sets of the aggregates, and read models computed by the database.</summary>
public interface IAppDbContext
{
    /// <summary>
    /// The names of the running numbers a new agreement's insert returns (shadow properties), read only for the create's
    /// response: the stored columns are not kept up to date afterwards, reads derive the numbers (ADR 0033).
    /// </summary>
    const string OrdinalOverall = "OrdinalOverall";

    /// <inheritdoc cref="OrdinalOverall"/>
    const string OrdinalWithinKind = "OrdinalWithinKind";

    DbSet<Partner> Partners { get; }

    DbSet<Agreement> Agreements { get; }

    DbSet<CooperationScope> CooperationScopes { get; }

    /// <summary>
    /// One live agreement with its partner and running numbers, by id; null when there is none. Every agreement read
    /// and every write's read-back goes through it, so implementations should keep its query compiled.
    /// </summary>
    Task<AgreementWithPartner?> FindLiveAgreementAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The whole cooperation vocabulary in display order: a few dozen rows that change only with a release,
    /// so implementations may keep it for a short while.</summary>
    Task<IReadOnlyList<CooperationScope>> LoadVocabularyAsync(CancellationToken cancellationToken);

    /// <summary>Each counted agreement's running number, computed by the database from the signing order.</summary>
    IQueryable<AgreementOrdinal> AgreementOrdinals { get; }

    /// <summary>Live partners by country and kind, kept by the database.</summary>
    IQueryable<PartnerTally> PartnerTallies { get; }

    /// <summary>Partnerships by country, partner kind and year, kept by the database (see <see cref="PartnershipTally"/>).</summary>
    IQueryable<PartnershipTally> PartnershipTallies { get; }

    /// <summary>Live agreements by status, kept by the database.</summary>
    IQueryable<AgreementStatusTally> AgreementStatusTallies { get; }

    /// <summary>Partnerships by cooperation scope, kept by the database.</summary>
    IQueryable<ScopeTally> ScopeTallies { get; }

    /// <summary>The change feed and history: every create, update and delete, by position in an order consistent with
    /// commit order (ADR 0030).</summary>
    IQueryable<ChangeRecord> Changes { get; }

    /// <summary>Saves the tracked changes and appends their change records, atomically.</summary>
    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
