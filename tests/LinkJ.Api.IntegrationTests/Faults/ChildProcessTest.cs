using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LinkJ.Infrastructure;
using LinkJ.Infrastructure.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Faults;

/// <summary>Helpers of the tests that run the service as a process of its own on a private PostgreSQL.</summary>
public abstract class ChildProcessTest
{
    /// <summary>Creates an API key with the real key service, straight in the database (as <c>keys create</c> does).</summary>
    protected static async Task<string> CreateKeyAsync(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:LinkJ"] = connectionString })
            .Build();
        await using var services = new ServiceCollection().AddLogging().AddInfrastructure(configuration).BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("faults", ["admin"], CancellationToken.None)).Key;
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
