using LinkJ.Application.Abstractions;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.CooperationScopes;
using LinkJ.Domain.Partners;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;
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
        _unsequenced = false;
        _atCommit.Clear();
        base.Dispose();
    }

    /// <inheritdoc cref="Return"/>
    internal ValueTask ReturnAsync()
    {
        _leased = false;
        _actor = null;
        _unsequenced = false;
        _atCommit.Clear();
        return base.DisposeAsync();
    }

    // Change records written in the caller's transaction and not yet given their feed positions.
    private bool _unsequenced;

    /// <summary>Says that change records were written in the current transaction by another path than the save (an
    /// import's bulk write, ADR 0042), so that <see cref="SequenceChangesAsync"/> numbers them after the commit.</summary>
    internal void ChangesWritten() => _unsequenced = true;

    /// <summary>The statement that gives committed changes their feed positions (ADR 0030).</summary>
    public const string SequenceChangesSql = "SELECT sequence_changes()";

    /// <summary>
    /// Gives every committed change without a feed position its position (ADR 0030). A caller that saved inside a
    /// transaction of its own calls this after committing it, before answering: until then the change is stored but
    /// not in the feed nor in the data version that public reads are keyed on. Cheap when there is nothing to do.
    /// Not cancelled with the request: the change has committed, and numbering it should not wait for the sweep.
    /// </summary>
    public async Task SequenceChangesAsync(bool evenIfNoneWritten = false)
    {
        if (!_unsequenced && !evenIfNoneWritten)
        {
            return;
        }

        if (Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("Changes are sequenced after their transaction has committed.");
        }

        _unsequenced = false;
        await Database.ExecuteSqlRawAsync(SequenceChangesSql, CancellationToken.None);
    }

    // Statements of the open transaction whose answer nobody waits for (an Idempotency-Key's response): sent with its
    // COMMIT rather than each on its own round trip (ADR 0045).
    private readonly List<NpgsqlBatchCommand> _atCommit = [];

    /// <summary>Queues a statement of the open transaction that needs no answer: <see cref="CommitAsync"/> sends it just
    /// before the COMMIT, in the same round trip. A failure of it fails the commit; a rollback forgets it.</summary>
    public void ExecuteAtCommit(NpgsqlBatchCommand command)
    {
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Only a statement of an open transaction waits for its commit.");
        }

        _atCommit.Add(command);
    }

    /// <summary>Forgets the statements queued for a commit that will not come (the unit of work rolled back).</summary>
    internal void ForgetAtCommit() => _atCommit.Clear();

    /// <summary>
    /// Commits the open transaction in one round trip (ADR 0045): the statements queued for it
    /// (<see cref="ExecuteAtCommit"/>), the COMMIT, and the numbering of the changes it wrote, which runs after the
    /// COMMIT in a transaction of its own exactly as <see cref="SequenceChangesAsync"/> would (ADR 0030). PostgreSQL
    /// runs a pipeline's statements in order, and one that fails skips the rest: a queued statement that fails leaves
    /// the transaction uncommitted (rolled back when it is disposed, here). Not cancelled with the request, like the
    /// numbering: the commit is the write's last step, and a cancel arriving during it would leave its outcome unknown.
    /// </summary>
    public Task CommitAsync() => EndTransactionAsync(rollBack: false);

    /// <summary>
    /// A rehearsal's end (ADR 0056): the batch <see cref="CommitAsync"/> sends, with ROLLBACK where COMMIT would be and no
    /// numbering: the queued statements run (and may fail) as before a commit, and nothing stays.
    /// </summary>
    public Task RollBackAtCommitAsync() => EndTransactionAsync(rollBack: true);

    private async Task EndTransactionAsync(bool rollBack)
    {
        var transaction = Database.CurrentTransaction ?? throw new InvalidOperationException("There is no transaction to end.");
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
            foreach (var command in _atCommit)
            {
                batch.BatchCommands.Add(command);
            }

            _atCommit.Clear();
            batch.BatchCommands.Add(new NpgsqlBatchCommand(rollBack ? "ROLLBACK" : "COMMIT"));
            var sequence = _unsequenced && !rollBack;
            if (rollBack)
            {
                _unsequenced = false;
            }

            if (sequence)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(SequenceChangesSql));
            }

            await batch.ExecuteNonQueryAsync(CancellationToken.None);
            if (sequence)
            {
                _unsequenced = false;
            }
        }
        finally
        {
            // Npgsql sees that the session left the transaction (ReadyForQuery says idle): disposing sends no ROLLBACK
            // after a COMMIT, and rolls back when the batch failed before it.
            await transaction.DisposeAsync();
        }
    }

    private static readonly HashSet<string> Bookkeeping = [nameof(AggregateRoot.Version), nameof(AggregateRoot.UpdatedAt), nameof(AggregateRoot.DeletedAt)];

    public DbSet<Partner> Partners => Set<Partner>();

    public DbSet<Agreement> Agreements => Set<Agreement>();

    public DbSet<CooperationScope> CooperationScopes => Set<CooperationScope>();

    /// <summary>The agreements' documents (ADR 0038): the write side's, through its repository.</summary>
    public DbSet<Domain.Documents.AgreementDocument> AgreementDocuments => Set<Domain.Documents.AgreementDocument>();

    // Compiled once: the by-id read is the API's hottest query, and translating its LINQ tree on every call (building it,
    // extracting its parameters, looking it up in the query cache) cost more of the API's CPU than running it.
    private static readonly Func<AppDbContext, Guid, CancellationToken, Task<AgreementWithPartner?>> LiveAgreementById =
        EF.CompileAsyncQuery((AppDbContext db, Guid id, CancellationToken cancellationToken) => db.Agreements.AsNoTracking()
            .Where(a => a.Id == id && a.DeletedAt == null)
            .Join(db.Partners.AsNoTracking(), a => a.PartnerId, p => p.Id, (a, p) => new AgreementWithPartner(
                a, p, RunningNumbers.Overall(a.Id), RunningNumbers.WithinPartnerKind(a.Id)))
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

    /// <summary>The keys that encrypt webhook signing secrets (ASP.NET Core Data Protection, shared by every replica): the
    /// table is migrated here; Data Protection reads and writes it through <see cref="Webhooks.DataProtectionKeysContext"/>.</summary>
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys =>
        Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    /// <summary>Webhook subscriptions and their deliveries (ADR 0035).</summary>
    public DbSet<Webhooks.WebhookSubscription> WebhookSubscriptions => Set<Webhooks.WebhookSubscription>();

    /// <inheritdoc cref="WebhookSubscriptions"/>
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();

    /// <summary>The <c>agreement.expiring</c> reminders queued so far, one row each (ADR 0036).</summary>
    public DbSet<Webhooks.AgreementReminder> AgreementReminders => Set<Webhooks.AgreementReminder>();

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
    internal static readonly Dictionary<string, Error> ConstraintErrors = new(StringComparer.Ordinal)
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

        // Change records are written without a feed position; they get one after the transaction has committed
        // (SequenceChangesAsync, ADR 0030), so no writer holds the feed's lock through its commit. Writing agreements
        // takes the running numbers' lock (ADR 0003, 0010), held until commit. Every round trip made while holding it
        // delays every other writer (ADR 0014), so:
        // - no savepoints: a save that fails fails the request, and its transaction is rolled back whole;
        // - agreements and their change records go in one batch. EF orders a batch's statements by table, and
        //   "agreements" sorts before "changes", so the agreement's row is written (and any row lock waited for)
        //   before its change record takes its place in the write order (seq; a test fails if EF ever orders them
        //   otherwise: ChangeRecordBatchTests);
        // - anything else (partners: "partners" sorts after "changes") is saved before its change records, for the
        //   same reason.
        var oneBatch = ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).All(e => e.Entity is Agreement);
        var autoSavepoints = Database.AutoSavepointsEnabled;
        Database.AutoSavepointsEnabled = false;
        try
        {
            int written;
            // Without a transaction of the caller's, the save opens its own (Npgsql sends the BEGIN with the batch) and
            // ends it with CommitAsync: COMMIT and the numbering in one round trip, where EF's own transaction would
            // take one for its COMMIT and another for the numbering (ADR 0045).
            await using var transaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
            if (oneBatch)
            {
                Set<ChangeRecord>().AddRange(changes);
                written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken) - changes.Count;
                _unsequenced = true;
            }
            else
            {
                written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
                Set<ChangeRecord>().AddRange(changes);
                await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
                _unsequenced = true;
            }

            if (transaction is not null)
            {
                await CommitAsync();
            }

            // Committed and numbered already, unless the caller has a transaction open: its commit numbers them.
            return written;
        }
        finally
        {
            Database.AutoSavepointsEnabled = autoSavepoints;
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync: it writes the change feed in the same transaction.");

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        // The running numbers, derived in the query's snapshot (migration RunningNumbersAtReadTime, ADR 0033).
        modelBuilder.HasDbFunction(typeof(RunningNumbers).GetMethod(nameof(RunningNumbers.Overall))!).HasName("linkj_agreement_ordinal_overall");
        modelBuilder.HasDbFunction(typeof(RunningNumbers).GetMethod(nameof(RunningNumbers.WithinPartnerKind))!).HasName("linkj_agreement_ordinal_within_kind");
    }

    private List<ChangeRecord> DescribeChanges()
    {
        var now = DateTimeOffset.UtcNow;
        var records = new List<ChangeRecord>();
        // A document added or removed is a change of its agreement (ADR 0038): its record names "documents".
        var documentsChanged = ChangeTracker.Entries<Domain.Documents.AgreementDocument>()
            .Where(e => e.State is EntityState.Added or EntityState.Deleted)
            .Select(e => e.Entity.AgreementId)
            .ToHashSet();
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

            var resourceType = entry.Entity is Partner ? "partner" : "agreement";
            string[] changedFields = operation != "updated" ? []
                : documentsChanged.Contains(entry.Entity.Id) ? [.. ChangedFields(entry).Append("documents").Distinct().Order(StringComparer.Ordinal)]
                : ChangedFields(entry);
            var agreement = entry.Entity as Agreement;
            records.Add(new ChangeRecord
            {
                ResourceType = resourceType,
                ResourceId = entry.Entity.Id,
                Version = entry.Entity.Version,
                Operation = operation,
                OccurredAt = now,
                Actor = _actor?.Name ?? ICurrentActor.System,
                ChangedFields = changedFields,
                EventType = Application.Webhooks.WebhookEventTypes.Of(
                    resourceType, operation, changedFields, agreement is null ? null : Application.Common.WireEnum.ToWire(agreement.Status), agreement?.SupersedesId is not null),
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
