namespace LinkJ.Application.Abstractions;

/// <summary>
/// The transaction of one command. <see cref="Common.Behaviors.UnitOfWorkBehavior{TMessage, TResponse}"/> is its only
/// owner: it begins it, claims the request's Idempotency-Key in it, runs the handler, and commits or rolls it back.
/// Handlers only save. The order in which a save takes its locks is the implementation's, written down in one place
/// (ADR 0032).
/// </summary>
public interface IUnitOfWork
{
    /// <summary>
    /// Begins the command's unit of work. With <paramref name="endsAtSave"/> the handler's save is the whole
    /// transaction and commits at once (nothing else has to join it), so that what the handler reads back afterwards
    /// is not read while holding the writers' locks (ADR 0014); without it, everything up to
    /// <see cref="CommitAsync"/> is one transaction (an Idempotency-Key's record joins the write it guards).
    /// </summary>
    Task BeginAsync(bool endsAtSave, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the tracked changes with their change records. A writer that lost a race on the same version gets the
    /// stale-version error, never a lost update.
    /// </summary>
    Task SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>Saves what is left, commits, and numbers the committed changes for the feed (ADR 0030).</summary>
    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A rehearsal's end (ADR 0056): saves what is left and sends what <see cref="CommitAsync"/> would send before its
    /// commit (the statements queued for it), then rolls the whole unit of work back instead of committing. Nothing of it
    /// stays and nothing is numbered for the feed. Needs the unit of work begun without <c>endsAtSave</c>.
    /// </summary>
    Task RollBackAtCommitAsync(CancellationToken cancellationToken);

    /// <summary>Ends an uncommitted unit of work without a trace: the transaction is rolled back and the tracked
    /// changes forgotten. Does nothing after <see cref="CommitAsync"/>.</summary>
    Task RollbackAsync();
}
