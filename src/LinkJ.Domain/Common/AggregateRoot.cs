namespace LinkJ.Domain.Common;

/// <summary>
/// Base of every aggregate: a stable id, a version that grows by one with each change (the optimistic concurrency
/// token, which a client names when it changes the record), and the times of creation, last change and deletion (a tombstone).
/// </summary>
public abstract class AggregateRoot
{
    protected AggregateRoot(Guid id, DateTimeOffset now)
    {
        Id = id;
        Version = 1;
        CreatedAt = now;
        UpdatedAt = now;
    }

    /// <summary>For materialisation by the persistence layer only.</summary>
    protected AggregateRoot()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>1 when created, +1 on every change.</summary>
    public int Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Set when the record was deleted; a deleted record stays as a tombstone for the change feed and history.</summary>
    public DateTimeOffset? DeletedAt { get; private set; }

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>The id a client system gave the record when it created it by upsert; fixed once set.</summary>
    public ExternalReference? ExternalRef { get; private set; }

    /// <summary>Links the record to a client system's id (done once, when an upsert creates it).</summary>
    public void LinkExternalReference(ExternalReference reference)
    {
        Guard.That(ExternalRef is null || ExternalRef == reference, new Error("external-ref.fixed", "The record already has another external reference.", ErrorKind.Conflict));
        ExternalRef = reference;
    }

    /// <summary>Records a change: bumps the version and the change time.</summary>
    protected void Touch(DateTimeOffset now)
    {
        Version++;
        UpdatedAt = now;
    }

    protected void MarkDeleted(DateTimeOffset now)
    {
        DeletedAt = now;
        Touch(now);
    }
}
