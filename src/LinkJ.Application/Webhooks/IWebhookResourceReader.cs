using System.Text.Json.Nodes;

namespace LinkJ.Application.Webhooks;

/// <summary>
/// Reads a partner or an agreement as <c>GET /api/v1/…/{id}</c> returns it, for the payload of a webhook event; null when
/// it no longer exists. Implemented where the API's JSON shape is known (the Api project).
/// </summary>
public interface IWebhookResourceReader
{
    Task<JsonNode?> ReadAsync(string resourceType, Guid id, CancellationToken cancellationToken);
}
