using LinkJ.Infrastructure;
using LinkJ.Infrastructure.Persistence;
using LinkJ.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Api.CompositionRoot;

/// <summary>
/// <c>LinkJ.Api keys create|list|revoke</c>: manages API keys on the configured database, from the service's own
/// executable (docs/api-guide.md: <c>scripts/run.sh keys create --name crm-sync --scopes agreements:write</c>).
/// </summary>
public static class KeysCommand
{
    public const string Verb = "keys";

    private const string Usage = """
        Usage:
          keys create --name <name> --scopes <scope,scope...>   scopes: partners:write, agreements:write, sync:read, admin
          keys list
          keys revoke <prefix>
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args.Where(a => a.StartsWith("--ConnectionStrings", StringComparison.Ordinal)).ToArray());
        builder.Logging.ClearProviders();
        builder.Services.AddInfrastructure(builder.Configuration);
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.MigrateAsync();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();

        switch (args.ElementAtOrDefault(1))
        {
            case "create":
                var name = Option(args, "--name");
                var scopes = Option(args, "--scopes")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
                if (name is null)
                {
                    return Fail(Usage);
                }

                try
                {
                    var created = await keys.CreateAsync(name, scopes, CancellationToken.None);
                    Console.WriteLine($"Created key '{created.Record.Name}' (prefix {created.Record.Prefix}, scopes {string.Join(",", created.Record.Scopes)}).");
                    Console.WriteLine("This is the only time the key is shown; store it now:");
                    Console.WriteLine(created.Key);
                    return 0;
                }
                catch (ArgumentException exception)
                {
                    return Fail(exception.Message);
                }

            case "list":
                Console.WriteLine($"{"prefix",-9} {"name",-24} {"scopes",-40} {"created",-20} {"last used",-20} revoked");
                foreach (var key in await keys.ListAsync(CancellationToken.None))
                {
                    Console.WriteLine($"{key.Prefix,-9} {key.Name,-24} {string.Join(",", key.Scopes),-40} {key.CreatedAt:yyyy-MM-dd HH:mm:ss} {(key.LastUsedAt is { } used ? used.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "-"),-20} {(key.RevokedAt is { } revoked ? revoked.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "-")}");
                }

                return 0;

            case "revoke" when args.Length > 2:
                if (await keys.RevokeAsync(args[2], CancellationToken.None))
                {
                    Console.WriteLine($"Revoked key {args[2]}.");
                    return 0;
                }

                return Fail($"No key has the prefix {args[2]}.");

            default:
                return Fail(Usage);
        }
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
