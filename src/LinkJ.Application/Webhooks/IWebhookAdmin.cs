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

    Task<WebhookDeliveryPageDto> DeliveriesAsync(Guid id, string? before, int? limit, CancellationToken cancellationToken);
}
