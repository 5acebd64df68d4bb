using LinkJ.Domain.Common;

namespace LinkJ.Application.Webhooks;

/// <summary>The errors of webhook subscriptions.</summary>
public static class WebhookErrors
{
    public static readonly Error NotFound = new("webhook.not-found", "No webhook subscription has this id.", ErrorKind.NotFound);

    public static readonly Error DeliveryNotFound = new("webhook.delivery-not-found", "This subscription has no delivery with this id.", ErrorKind.NotFound);

    public static Error InvalidUrl(string why) => new("webhook.url-invalid", why, ErrorKind.Validation, "url");

    public static readonly Error NoEventTypes = new("webhook.event-types-required", "Name at least one event type.", ErrorKind.Validation, "eventTypes");

    public static Error UnknownEventType(string type) =>
        new("webhook.event-type-unknown", $"Unknown event type '{Truncate(type)}'; known: {string.Join(", ", WebhookEventTypes.All)}.", ErrorKind.Validation, "eventTypes");

    public static readonly Error DescriptionTooLong = new("webhook.description-too-long", "A description has at most 500 characters.", ErrorKind.Validation, "description");

    public static readonly Error TooManySubscriptions = new("webhook.too-many", "At most 100 webhook subscriptions may exist.", ErrorKind.Conflict);

    private static string Truncate(string value) => value.Length <= 60 ? value : value[..60];
}
