namespace LinkJ.Application.Webhooks;

/// <summary>What a client sends to create a subscription.</summary>
/// <param name="Url">Where events are POSTed: an https URL.</param>
/// <param name="EventTypes">The events wanted; at least one.</param>
/// <param name="Description">What the receiving system is, for people.</param>
/// <param name="Enabled">Whether events are sent (default true).</param>
public sealed record WebhookInput(string Url, IReadOnlyList<string> EventTypes, string? Description = null, bool? Enabled = null);

/// <summary>A change of a subscription: only the members sent change.</summary>
public sealed record WebhookPatch(string? Url = null, IReadOnlyList<string>? EventTypes = null, string? Description = null, bool? Enabled = null);

/// <summary>A webhook subscription, without its secret.</summary>
public sealed record WebhookDto(
    Guid Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? Description,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset? FailingSince,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A subscription with its signing secret: answered once, when it is created or its secret rotated.</summary>
public sealed record WebhookWithSecretDto(WebhookDto Webhook, string Secret);

/// <summary>A list of subscriptions.</summary>
public sealed record WebhookListDto(IReadOnlyList<WebhookDto> Items);

/// <summary>One event queued for one subscription, and how its sending went.</summary>
/// <param name="Id">The delivery's id.</param>
/// <param name="MessageId">The <c>webhook-id</c> header, the same on every attempt.</param>
/// <param name="EventType">The event.</param>
/// <param name="Position">In the feed (null for a ping).</param>
/// <param name="Status"><c>pending</c>, <c>succeeded</c> or <c>failed</c>.</param>
/// <param name="Attempts">How many times it was sent.</param>
/// <param name="NextAttemptAt">When it is sent next, while pending.</param>
/// <param name="LastAttemptAt">When it was last sent.</param>
/// <param name="ResponseStatus">The receiver's last HTTP status.</param>
/// <param name="ResponseBody">The first 1 KB of the receiver's last response.</param>
/// <param name="Error">Why the last attempt failed without a status (timeout, refused address).</param>
/// <param name="CreatedAt">When it was queued.</param>
public sealed record WebhookDeliveryDto(
    Guid Id,
    string MessageId,
    string EventType,
    long? Position,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? ResponseStatus,
    string? ResponseBody,
    string? Error,
    DateTimeOffset CreatedAt);

/// <summary>A page of deliveries, newest first.</summary>
public sealed record WebhookDeliveryPageDto(IReadOnlyList<WebhookDeliveryDto> Items, string? Next);
