using LinkJ.Application.Abstractions;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.CooperationScopes;
using LinkJ.Domain.Partners;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Npgsql;

namespace LinkJ.Infrastructure.Persistence;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options), IAppDbContext
{
    private ICurrentActor? _actor;
    private VocabularyCache? _vocabulary;
    private bool _leased;

    /// <summary>Gives a context rented from the pool (by <see cref="ScopedAppDbContext"/>) the request's actor and the
    /// shared vocabulary cache; until <see cref="ReturnAsync"/>, disposing it does nothing.</summary>
    public void Use(ICurrentActor currentActor, VocabularyCache vocabularyCache)
    {
        _actor = currentActor;
        _vocabulary = vocabularyCache;
        _leased = true;
    }

    // A scope disposes the context once for each service it was resolved as (AppDbContext and IAppDbContext). A pooled
    // context must go back to the pool exactly once per rental, and only by its lease, which the scope disposes last:
    // a second return, or a dispose arriving after the context was rented again, would let two requests share it.
    public override void Dispose()
    {
        if (!_leased)
        {
            base.Dispose();
        }
    }

    public override ValueTask DisposeAsync() => _leased ? ValueTask.CompletedTask : base.DisposeAsync();

    /// <summary>Returns a rented context to the pool.</summary>
    internal void Return()
    {
        _leased = false;
        _actor = null;
        base.Dispose();
    }

    /// <inheritdoc cref="Return"/>
    internal ValueTask ReturnAsync()
    {
        _leased = false;
        _actor = null;
        return base.DisposeAsync();
    }

    private static readonly HashSet<string> Bookkeeping = [nameof(AggregateRoot.Version), nameof(AggregateRoot.UpdatedAt), nameof(AggregateRoot.DeletedAt)];

    public DbSet<Partner> Partners => Set<Partner>();

    public DbSet<Agreement> Agreements => Set<Agreement>();

    public DbSet<CooperationScope> CooperationScopes => Set<CooperationScope>();

    // Compiled once: the by-id read is the API's hottest query, and translating its LINQ tree on every call (building it,
    // extracting its parameters, looking it up in the query cache) cost more of the API's CPU than running it.
    private static readonly Func<AppDbContext, Guid, CancellationToken, Task<AgreementWithPartner?>> LiveAgreementById =
        EF.CompileAsyncQuery((AppDbContext db, Guid id, CancellationToken cancellationToken) => db.Agreements.AsNoTracking()
            .Where(a => a.Id == id && a.DeletedAt == null)
            .Join(db.Partners.AsNoTracking(), a => a.PartnerId, p => p.Id, (a, p) => new AgreementWithPartner(
                a, p, EF.Property<long?>(a, IAppDbContext.OrdinalOverall), EF.Property<long?>(a, IAppDbContext.OrdinalWithinKind)))
            .FirstOrDefault());

    public Task<AgreementWithPartner?> FindLiveAgreementAsync(Guid id, CancellationToken cancellationToken) =>
        LiveAgreementById(this, id, cancellationToken);

    public Task<IReadOnlyList<CooperationScope>> LoadVocabularyAsync(CancellationToken cancellationToken) =>
        _vocabulary is null ? LoadVocabularyFromDatabaseAsync(cancellationToken) : _vocabulary.GetAsync(LoadVocabularyFromDatabaseAsync, cancellationToken);

    private async Task<IReadOnlyList<CooperationScope>> LoadVocabularyFromDatabaseAsync(CancellationToken cancellationToken) =>
        await CooperationScopes.AsNoTracking().OrderBy(s => s.SortOrder).ToListAsync(cancellationToken);

    public IQueryable<AgreementOrdinal> AgreementOrdinals => Set<AgreementOrdinal>().AsNoTracking();

    public IQueryable<ChangeRecord> Changes => Set<ChangeRecord>().AsNoTracking();

    public IQueryable<PartnerTally> PartnerTallies => Set<PartnerTally>().AsNoTracking();

    public IQueryable<PartnershipTally> PartnershipTallies => Set<PartnershipTally>().AsNoTracking();

    public IQueryable<AgreementStatusTally> AgreementStatusTallies => Set<AgreementStatusTally>().AsNoTracking();

    public IQueryable<ScopeTally> ScopeTallies => Set<ScopeTally>().AsNoTracking();

    /// <summary>API keys: an infrastructure concern, not part of <see cref="IAppDbContext"/>.</summary>
    public DbSet<Security.ApiKey> ApiKeys => Set<Security.ApiKey>();

    /// <summary>Idempotency keys of POSTs and their responses: an infrastructure concern too.</summary>
    public DbSet<Idempotency.IdempotencyRecord> IdempotencyRecords => Set<Idempotency.IdempotencyRecord>();

    /// <summary>
    /// Saves the aggregates and, in the same transaction, one change record per created, updated or deleted aggregate
    /// (the outbox of the change feed and the history).
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SaveWithChangeRecordsAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation } violation
                                                   && violation.ConstraintName is not null && ConstraintErrors.TryGetValue(violation.ConstraintName, out var error))
        {
            // The database's constraints decide races (two clients taking one slug at once, a partner deleted while an
            // agreement is added to it); say it in the domain's words.
            throw new DomainException(error);
        }
    }

    /// <summary>Constraints whose violation is a client's conflict, with the error to report.</summary>
    private static readonly Dictionary<string, Error> ConstraintErrors = new(StringComparer.Ordinal)
    {
        ["agreements_partner_live"] = AgreementErrors.PartnerNotFound.ForField("partnerId"),
        ["partners_no_live_agreements"] = PartnerErrors.HasAgreements,
        ["ix_partners_slug"] = PartnerErrors.SlugTaken.ForField("slug"),
        ["ix_partners_external_ref"] = CommonErrors.ExternalReferenceTaken,
        ["ix_agreements_external_ref"] = CommonErrors.ExternalReferenceTaken,
    };

    private async Task<int> SaveWithChangeRecordsAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var changes = DescribeChanges();
        if (changes.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // Writing agreements takes the running numbers' lock, and inserting change records takes the change feed's lock
        // (statement triggers, migrations MaterializedOrdinals and ChangeFeedLockTrigger), both held until commit, so
        // that positions are handed out in commit order: a reader that has seen position N never later finds a new
        // change below N (ADR 0006). Every round trip made while holding them delays every other writer (ADR 0014), so:
        // - no savepoints: a save that fails fails the request, and its transaction is rolled back whole;
        // - agreements and their change records go in one batch. EF orders a batch's statements by table, and
        //   "agreements" sorts before "changes", so the running numbers' lock is still taken first (a test fails if EF
        //   ever orders them otherwise: ChangeRecordBatchTests);
        // - anything else (partners: "partners" sorts after "changes") is saved before its change records, so that a
        //   save waiting for another writer's unique key (a slug) does not hold the feed's lock meanwhile.
        var oneBatch = ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).All(e => e.Entity is Agreement);
        var autoSavepoints = Database.AutoSavepointsEnabled;
        Database.AutoSavepointsEnabled = false;
        try
        {
            if (oneBatch)
            {
                Set<ChangeRecord>().AddRange(changes);
                return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken) - changes.Count;
            }

            await using var transaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            Set<ChangeRecord>().AddRange(changes);
            await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return written;
        }
        finally
        {
            Database.AutoSavepointsEnabled = autoSavepoints;
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync: it writes the change feed in the same transaction.");

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

    private List<ChangeRecord> DescribeChanges()
    {
        var now = DateTimeOffset.UtcNow;
        var records = new List<ChangeRecord>();
        // Partners first: a feed reader meets a new partner before the agreements that point to it.
        foreach (var entry in ChangeTracker.Entries<AggregateRoot>().OrderBy(e => e.Entity is Partner ? 0 : 1))
        {
            var operation = entry.State switch
            {
                EntityState.Added => "created",
                EntityState.Modified when entry.Property(a => a.DeletedAt).IsModified && entry.Entity.IsDeleted => "deleted",
                EntityState.Modified => "updated",
                _ => null,
            };
            if (operation is null)
            {
                continue;
            }

            records.Add(new ChangeRecord
            {
                ResourceType = entry.Entity is Partner ? "partner" : "agreement",
                ResourceId = entry.Entity.Id,
                Version = entry.Entity.Version,
                Operation = operation,
                OccurredAt = now,
                Actor = _actor?.Name ?? ICurrentActor.System,
                ChangedFields = operation == "updated" ? ChangedFields(entry) : [],
            });
        }

        return records;
    }

    private static string[] ChangedFields(EntityEntry entry) =>
    [
        .. entry.Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name)
            .Concat(entry.ComplexProperties.Where(c => c.IsModified).Select(c => c.Metadata.Name))
            .Where(name => !Bookkeeping.Contains(name))
            .Select(WireName)
            .Distinct()
            .Order(StringComparer.Ordinal),
    ];

    private static string WireName(string name)
    {
        var trimmed = name.TrimStart('_');
        return char.ToLowerInvariant(trimmed[0]) + trimmed[1..];
    }
}
