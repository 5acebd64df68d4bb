using System.Text.Json;
using System.Text.Json.Nodes;
using LinkJ.Application.Agreements.Queries.GetAgreement;
using LinkJ.Application.Partners.Queries.GetPartner;
using LinkJ.Application.Webhooks;
using LinkJ.Domain.Common;
using Mediator;
using Microsoft.Extensions.Options;

namespace LinkJ.Api.Endpoints.Webhooks;

/// <summary>The resource in a webhook payload, exactly as <c>GET /api/v1/agreements/{id}</c> or <c>/partners/{id}</c> returns it.</summary>
public sealed class WebhookResourceReader(ISender sender, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IWebhookResourceReader
{
    public async Task<JsonNode?> ReadAsync(string resourceType, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            object dto = resourceType switch
            {
                "agreement" => await sender.Send(new GetAgreementQuery(id), cancellationToken),
                "partner" => await sender.Send(new GetPartnerQuery(new Application.Partners.PartnerRef(id, null)), cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(resourceType), resourceType, "Unknown resource type."),
            };
            return JsonSerializer.SerializeToNode(dto, dto.GetType(), json.Value.SerializerOptions);
        }
        catch (DomainException exception) when (exception.Error.Kind == ErrorKind.NotFound)
        {
            return null; // deleted since: the event says what changed, the resource is gone
        }
    }
}

/// <summary>Marks reads whose answer does not follow the feed's data version (webhook management): never cached by it.</summary>
public sealed class NotKeyedOnDataVersion;
