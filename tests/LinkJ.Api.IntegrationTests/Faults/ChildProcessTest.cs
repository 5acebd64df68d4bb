using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LinkJ.Infrastructure;
using LinkJ.Infrastructure.Persistence;
using LinkJ.Infrastructure.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Faults;

/// <summary>Helpers of the tests that run the service as a process of its own on a private PostgreSQL.</summary>
public abstract class ChildProcessTest
{
    /// <summary>Creates an API key with the real key service, straight in the database (as <c>keys create</c> does).</summary>
    protected static Task<string> CreateKeyAsync(string connectionString) => WithInfrastructureAsync(connectionString, async services =>
        (await services.GetRequiredService<ApiKeyService>().CreateAsync("faults", ["admin"], CancellationToken.None)).Key);

    /// <summary>
    /// Migrates and seeds the database with the service's own initializer, here in the test process where EF Core is
    /// already warm: much faster than the first start of an API process doing it on a loaded machine.
    /// </summary>
    public static Task MigrateAndSeedAsync(string connectionString) => WithInfrastructureAsync(connectionString, async services =>
    {
        await services.GetServices<IHostedService>().OfType<DatabaseInitializer>().Single().StartAsync(CancellationToken.None);
        return true;
    });

    private static async Task<T> WithInfrastructureAsync<T>(string connectionString, Func<IServiceProvider, Task<T>> use)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:LinkJ"] = connectionString })
            .Build();
        await using var services = new ServiceCollection().AddLogging().AddInfrastructure(configuration).BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        return await use(scope.ServiceProvider);
    }

    protected static async Task<string> PartnerIdAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/v1/partners/osaka-prefecture");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }

    /// <summary>A create, retry-safe with its own Idempotency-Key.</summary>
    protected static HttpRequestMessage CreateRequest(string key, string idempotencyKey, JsonObject body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/agreements") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    protected static JsonObject AgreementBody(string partnerId, string titleEn, int number) => new()
    {
        ["partnerId"] = partnerId,
        ["type"] = "mou",
        ["title"] = new JsonObject { ["ja"] = $"耐障害試験の覚書 第{number}号", ["en"] = titleEn },
        ["signedOn"] = $"2026-{1 + number % 12:00}-{1 + number % 28:00}",
        ["cooperation"] = new JsonObject
        {
            ["scopes"] = new JsonArray("event-cooperation", number % 2 == 0 ? "mutual-visits" : "publication-exchange"),
            ["isOpenEnded"] = true,
            ["note"] = new string('記', 1 + number % 200),
        },
    };

    protected static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
