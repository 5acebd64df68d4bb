using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly;

namespace LinkJ.Infrastructure.Webhooks;

public static class WebhookSetup
{
    /// <summary>Subscriptions, the signing secrets' encryption (keys in PostgreSQL), the guarded HTTP client and the dispatcher.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => o.Lease > o.Timeout, "Webhooks:Lease must be longer than Webhooks:Timeout.")
            .Validate(o => o.ReminderDays.All(d => d is >= 0 and <= 3660), "Webhooks:ReminderDays are days, 0 to 3660.")
            .Validate(o => o.MaxConcurrentSubscriptions >= 1 && o.FeedBatch >= 1 && o.MaxResponseBytes is >= 0 and <= 65536, "Webhooks: bad limits.")
            .Validate(o => o.DeliveryRetention >= o.RetryWindow,
                "Webhooks:DeliveryRetention must be at least Webhooks:RetryWindow: a subscription disabled after failing that long keeps every failed delivery to list and redeliver.")
            .Validate(o => o.DeliveryPurgeBatch >= 1, "Webhooks:DeliveryPurgeBatch must be at least 1.")
            .ValidateOnStart();
        // One key ring for every replica, in the database: a secret encrypted by one replica is read by any other.
        services.AddDbContext<DataProtectionKeysContext>((provider, context) =>
            context.UseNpgsql(provider.GetRequiredService<Npgsql.NpgsqlDataSource>()).UseSnakeCaseNamingConvention());
        services.AddDataProtection().SetApplicationName("LinkJ.Api").PersistKeysToDbContext<DataProtectionKeysContext>();
        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<WebhookAdmin>();
        services.AddScoped<ExpiryReminders>();
        services.AddScoped<DeliveryLogRetention>();
        services.AddSingleton<LinkJ.Application.Abstractions.IReminderSchedule, ReminderSchedule>();
        services.AddScoped<LinkJ.Application.Webhooks.IWebhookAdmin>(provider => provider.GetRequiredService<WebhookAdmin>());
        services.AddSingleton<IWebhookDnsResolver, SystemDnsResolver>();
        services.AddSingleton<IWebhookConnector, SocketConnector>();
        services.AddSingleton<WebhookSender>();
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider => NewHandler(provider))
            .AddResilienceHandler("webhook-timeout", (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout));
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDispatcher>());
        return services;
    }

    /// <summary>
    /// No redirects (a receiver could point the sender anywhere), no proxy, no cookies; every connection goes through the
    /// address check: the host is resolved here, and if any address it resolves to is not allowed, nothing is opened.
    /// </summary>
    private static SocketsHttpHandler NewHandler(IServiceProvider provider)
    {
        var settings = provider.GetRequiredService<IOptions<WebhookOptions>>().Value;
        var development = provider.GetRequiredService<IHostEnvironment>().IsDevelopment();
        var resolver = provider.GetRequiredService<IWebhookDnsResolver>();
        var connector = provider.GetRequiredService<IWebhookConnector>();
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = settings.Timeout,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var host = context.DnsEndPoint.Host;
                var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
                    ? [literal]
                    : await resolver.ResolveAsync(host, cancellationToken);
                if (addresses.Length == 0)
                {
                    throw new WebhookTargetRefusedException($"{host} resolves to no address.");
                }

                var refused = addresses.FirstOrDefault(a => !WebhookAddressPolicy.IsAllowed(a, settings.AllowLoopback, development));
                if (refused is not null)
                {
                    throw new WebhookTargetRefusedException($"{host} resolves to {refused}, an address deliveries may not go to (private, loopback or link-local).");
                }

                return await connector.ConnectAsync(new IPEndPoint(addresses[0], context.DnsEndPoint.Port), cancellationToken);
            },
        };
    }
}
