namespace LinkJ.Application.Webhooks;

/// <summary>
/// The webhook subscriptions' use cases, as the Api calls them (ADR 0035): manage subscriptions and their signing
/// secrets, read the delivery log, ping and redeliver. Implemented in Infrastructure next to the dispatcher.
/// </summary>
public interface IWebhookAdmin
{
    Task<WebhookWithSecretDto> CreateAsync(WebhookInput input, CancellationToken cancellationToken);

    Task<WebhookListDto> ListAsync(CancellationToken cancellationToken);

    Task<WebhookDto> GetAsync(Guid id, CancellationToken cancellationToken);

    Task<WebhookDto> PatchAsync(Guid id, WebhookPatch patch, CancellationToken cancellationToken);

    Task DeleteAsync(Guid id, CancellationToken cancellationToken);

    Task<WebhookWithSecretDto> RotateSecretAsync(Guid id, CancellationToken cancellationToken);

    Task<WebhookDeliveryDto> PingAsync(Guid id, CancellationToken cancellationToken);

    Task<WebhookDeliveryDto> RedeliverAsync(Guid id, Guid deliveryId, CancellationToken cancellationToken);

    /// <summary>A page of the subscription's delivery log, newest first (the page parsed at the edge: <see cref="DeliveryLogPage.Parse"/>).</summary>
    Task<WebhookDeliveryPageDto> DeliveriesAsync(Guid id, DeliveryLogPage page, CancellationToken cancellationToken);
}
