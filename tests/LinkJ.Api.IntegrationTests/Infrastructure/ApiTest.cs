using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinkJ.Infrastructure.Security;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>Base of the HTTP tests: a client of the in-memory API and a database in the seeded state at the start of each test.</summary>
[Collection(ApiCollection.Name)]
public abstract class ApiTest(ApiFactory factory) : IAsyncLifetime
{
    protected ApiFactory Factory { get; } = factory;

    protected HttpClient Client { get; } = factory.CreateClient();

    public Task InitializeAsync() => Factory.ResetDatabaseIfChangedAsync();

    public Task DisposeAsync()
    {
        Client.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>GETs a URL, asserts 200 and returns the JSON body.</summary>
    protected async Task<JsonNode> GetJsonAsync(string url)
    {
        using var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} → {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>GETs a read for internal systems (the change feed, a history) with a sync:read key, asserts 200 and returns the JSON body.</summary>
    protected async Task<JsonNode> GetSyncJsonAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", await SyncReadKeyAsync());
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} → {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>GETs a read for internal systems with a sync:read key and asserts an RFC 9457 problem.</summary>
    protected async Task<JsonObject> GetSyncProblemAsync(string url, HttpStatusCode status, string? code = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", await SyncReadKeyAsync());
        using var response = await Client.SendAsync(request);
        return await AssertProblemAsync(response, status, code);
    }

    private string? _syncReadKey;

    /// <summary>A key with sync:read, made once per test (the database, keys included, is reset between tests).</summary>
    protected async Task<string> SyncReadKeyAsync()
    {
        if (_syncReadKey is null)
        {
            await using var scope = Factory.Services.CreateAsyncScope();
            var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
            _syncReadKey = (await keys.CreateAsync("test-sync-read", ["sync:read"], CancellationToken.None)).Key;
        }

        return _syncReadKey;
    }

    /// <summary>GETs a URL and asserts an RFC 9457 problem with the status (and code, when given); returns the problem.</summary>
    protected async Task<JsonObject> GetProblemAsync(string url, HttpStatusCode status, string? code = null)
    {
        using var response = await Client.GetAsync(url);
        return await AssertProblemAsync(response, status, code);
    }

    protected static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(problem["traceId"]?.GetValue<string>()));
        Assert.StartsWith("urn:linkj:problem:", problem["type"]!.GetValue<string>());
        if (code is not null)
        {
            Assert.Equal(code, problem["code"]!.GetValue<string>());
        }

        Assert.DoesNotContain("   at ", body); // no stack trace
        return problem;
    }

    protected static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    protected static JsonContent JsonBody(object value) => JsonContent.Create(value, options: Json);
}
