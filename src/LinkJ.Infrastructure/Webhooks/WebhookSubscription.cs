namespace LinkJ.Infrastructure.Webhooks;

/// <summary>A receiver of webhook events: where they go, which ones, and its signing secrets (encrypted).</summary>
public sealed class WebhookSubscription
{
    public Guid Id { get; set; }

    public required string Url { get; set; }

    public required string[] EventTypes { get; set; }

    public string? Description { get; set; }

    public bool Enabled { get; set; } = true;

    public string? DisabledReason { get; set; }

    /// <summary>The signing secret (<c>whsec_…</c>), encrypted with ASP.NET Core Data Protection.</summary>
    public required string Secret { get; set; }

    /// <summary>The secret before the last rotation, still signing until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    /// <summary>The feed position up to which changes have been queued for this subscription.</summary>
    public long FeedCursor { get; set; }

    /// <summary>Since when deliveries have been failing (cleared by a success).</summary>
    public DateTimeOffset? FailingSince { get; set; }

    /// <summary>The replica whose dispatcher holds the subscription, until <see cref="LeaseUntil"/>.</summary>
    public Guid? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One event for one subscription, sent until it succeeds, fails for good, or the subscription gives up.</summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }

    /// <summary>Queue order within a subscription.</summary>
    public long Seq { get; set; }

    public Guid SubscriptionId { get; set; }

    /// <summary>The <c>webhook-id</c>: the same on every attempt and on a redelivery.</summary>
    public required string MessageId { get; set; }

    public required string EventType { get; set; }

    public long? Position { get; set; }

    /// <summary>The body sent, as JSON text (built once, when queued).</summary>
    public required string Payload { get; set; }

    /// <summary><c>pending</c>, <c>succeeded</c> or <c>failed</c>.</summary>
    public required string Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public int? ResponseStatus { get; set; }

    public string? ResponseBody { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>
/// An <c>agreement.expiring</c> reminder that has been queued (or passed over for a nearer one), once per agreement, last
/// day in force and threshold: the row is the claim that keeps a reminder from being sent twice (ADR 0036). A new last
/// day (a renewal's extension, a corrected date) has reminders of its own.
/// </summary>
public sealed class AgreementReminder
{
    public Guid AgreementId { get; set; }

    /// <summary>The agreement's last day in force the reminder is about.</summary>
    public DateOnly EndsOn { get; set; }

    public int DaysBefore { get; set; }

    /// <summary><c>queued</c>: deliveries were queued; <c>superseded</c>: its day was missed and a nearer one was sent instead.</summary>
    public required string Outcome { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public const string Queued = "queued";
    public const string Superseded = "superseded";
}
