using System.Text.Json;
using System.Text.Json.Nodes;
using LinkJ.Application.Webhooks;
using LinkJ.Domain.Common;
using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkJ.Infrastructure.Webhooks;

/// <summary>Manages subscriptions and reads their delivery log (<c>/api/v1/webhooks</c>, scope <c>webhooks:manage</c>).</summary>
public sealed class WebhookAdmin(AppDbContext db, WebhookSecrets secrets, IOptions<WebhookOptions> options, IHostEnvironment environment, TimeProvider time) : IWebhookAdmin
{
    public const int MaxSubscriptions = 100;
    public const int MaxDescription = 500;

    public async Task<WebhookWithSecretDto> CreateAsync(WebhookInput input, CancellationToken cancellationToken)
    {
        var url = CheckUrl(input.Url);
        var types = CheckTypes(input.EventTypes);
        CheckDescription(input.Description);
        if (await db.WebhookSubscriptions.CountAsync(cancellationToken) >= MaxSubscriptions)
        {
            throw new DomainException(WebhookErrors.TooManySubscriptions);
        }

        var secret = WebhookSecrets.NewSecret();
        var now = time.GetUtcNow();
        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(),
            Url = url,
            EventTypes = types,
            Description = input.Description,
            Enabled = input.Enabled ?? true,
            DisabledReason = input.Enabled == false ? "Created disabled." : null,
            Secret = secrets.Protect(secret),
            // Events from now on: what committed before the subscription existed is the change feed's to tell.
            FeedCursor = await db.Changes.MaxAsync(c => c.Position, cancellationToken) ?? 0,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return new(ToDto(subscription), secret);
    }

    public async Task<WebhookListDto> ListAsync(CancellationToken cancellationToken) =>
        new([.. (await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(cancellationToken)).Select(ToDto)]);

    public async Task<WebhookDto> GetAsync(Guid id, CancellationToken cancellationToken) =>
        ToDto(await FindAsync(id, cancellationToken, tracking: false));

    public async Task<WebhookDto> PatchAsync(Guid id, WebhookPatch patch, CancellationToken cancellationToken)
    {
        var subscription = await FindAsync(id, cancellationToken);
        if (patch.Url is not null)
        {
            subscription.Url = CheckUrl(patch.Url);
        }

        if (patch.EventTypes is not null)
        {
            subscription.EventTypes = CheckTypes(patch.EventTypes);
        }

        if (patch.Description is not null)
        {
            CheckDescription(patch.Description);
            subscription.Description = patch.Description.Length == 0 ? null : patch.Description;
        }

        if (patch.Enabled is { } enabled && enabled != subscription.Enabled)
        {
            subscription.Enabled = enabled;
            // Re-enabled: what is still queued is sent, and the retry window starts again.
            subscription.DisabledReason = enabled ? null : "Disabled by request.";
            subscription.FailingSince = null;
        }

        subscription.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(subscription);
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var subscription = await FindAsync(id, cancellationToken);
        db.WebhookSubscriptions.Remove(subscription);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A new secret signs from now on; the old one signs beside it for <see cref="WebhookOptions.RotationOverlap"/>.</summary>
    public async Task<WebhookWithSecretDto> RotateSecretAsync(Guid id, CancellationToken cancellationToken)
    {
        var subscription = await FindAsync(id, cancellationToken);
        var secret = WebhookSecrets.NewSecret();
        var now = time.GetUtcNow();
        subscription.PreviousSecret = subscription.Secret;
        subscription.PreviousSecretExpiresAt = now + options.Value.RotationOverlap;
        subscription.Secret = secrets.Protect(secret);
        subscription.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return new(ToDto(subscription), secret);
    }

    /// <summary>Queues a <c>webhook.ping</c> for the subscription, sent like any event.</summary>
    public async Task<WebhookDeliveryDto> PingAsync(Guid id, CancellationToken cancellationToken)
    {
        var subscription = await FindAsync(id, cancellationToken, tracking: false);
        var now = time.GetUtcNow();
        var payload = new JsonObject
        {
            ["type"] = WebhookEventTypes.Ping,
            ["timestamp"] = now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["data"] = new JsonObject { ["webhookId"] = subscription.Id.ToString() },
        };
        var delivery = NewDelivery(subscription.Id, NewMessageId(), WebhookEventTypes.Ping, null, payload.ToJsonString(), now);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(delivery);
    }

    /// <summary>Queues the delivery's event again, with the same <c>webhook-id</c> (a receiver that has it may skip it).</summary>
    public async Task<WebhookDeliveryDto> RedeliverAsync(Guid id, Guid deliveryId, CancellationToken cancellationToken)
    {
        await FindAsync(id, cancellationToken, tracking: false);
        var original = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId && d.SubscriptionId == id, cancellationToken)
            ?? throw new DomainException(WebhookErrors.DeliveryNotFound);
        var delivery = NewDelivery(id, original.MessageId, original.EventType, original.Position, original.Payload, time.GetUtcNow());
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(delivery);
    }

    /// <summary>The subscription's deliveries, newest first; <see cref="DeliveryLogPage.Before"/> is the previous page's <c>next</c>.</summary>
    public async Task<WebhookDeliveryPageDto> DeliveriesAsync(Guid id, DeliveryLogPage page, CancellationToken cancellationToken)
    {
        await FindAsync(id, cancellationToken, tracking: false);
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id);
        if (page.Before is { } b)
        {
            query = query.Where(d => d.Seq < b);
        }

        var rows = await query.OrderByDescending(d => d.Seq).Take(page.Limit + 1).ToListAsync(cancellationToken);
        var next = rows.Count > page.Limit ? rows[page.Limit - 1].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new([.. rows.Take(page.Limit).Select(ToDto)], next);
    }

    internal static string NewMessageId() => "msg_" + Guid.CreateVersion7().ToString("N");

    internal static WebhookDelivery NewDelivery(Guid subscriptionId, string messageId, string eventType, long? position, string payload, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        SubscriptionId = subscriptionId,
        MessageId = messageId,
        EventType = eventType,
        Position = position,
        Payload = payload,
        Status = WebhookDelivery.Pending,
        NextAttemptAt = now,
        CreatedAt = now,
    };

    private async Task<WebhookSubscription> FindAsync(Guid id, CancellationToken cancellationToken, bool tracking = true)
    {
        var query = tracking ? db.WebhookSubscriptions : db.WebhookSubscriptions.AsNoTracking();
        return await query.FirstOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw new DomainException(WebhookErrors.NotFound);
    }

    /// <summary>An absolute https URL (http only to loopback, in Development or where loopback is allowed), no credentials, no fragment.</summary>
    private string CheckUrl(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 2000 || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            throw new DomainException(WebhookErrors.InvalidUrl("The URL must be an absolute https URL of at most 2000 characters."));
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && (environment.IsDevelopment() || options.Value.AllowLoopback)))
        {
            throw new DomainException(WebhookErrors.InvalidUrl("The URL must use https (http only to a loopback address in development)."));
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new DomainException(WebhookErrors.InvalidUrl("The URL may not carry credentials nor a fragment."));
        }

        return uri.AbsoluteUri;
    }

    private static string[] CheckTypes(IReadOnlyList<string>? types)
    {
        if (types is null || types.Count == 0)
        {
            throw new DomainException(WebhookErrors.NoEventTypes);
        }

        foreach (var type in types)
        {
            if (!WebhookEventTypes.All.Contains(type))
            {
                throw new DomainException(WebhookErrors.UnknownEventType(type ?? string.Empty));
            }
        }

        return [.. types.Distinct(StringComparer.Ordinal)];
    }

    private static void CheckDescription(string? description)
    {
        if (description is { Length: > MaxDescription })
        {
            throw new DomainException(WebhookErrors.DescriptionTooLong);
        }
    }

    public static WebhookDto ToDto(WebhookSubscription s) =>
        new(s.Id, s.Url, s.EventTypes, s.Description, s.Enabled, s.DisabledReason, s.FailingSince, s.PreviousSecretExpiresAt, s.CreatedAt, s.UpdatedAt);

    public static WebhookDeliveryDto ToDto(WebhookDelivery d) =>
        new(d.Id, d.MessageId, d.EventType, d.Position, d.Status, d.Attempts, d.Status == WebhookDelivery.Pending ? d.NextAttemptAt : null,
            d.LastAttemptAt, d.ResponseStatus, d.ResponseBody, d.Error, d.CreatedAt);

    internal static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);
}
