using System.Net;
using System.Text;
using LinkJ.Api.Http;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Writes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LinkJ.Api.IntegrationTests.Limits;

/// <summary>The documented limits: body size (413), JSON depth and duplicate keys (400), page size, list and text lengths.</summary>
public sealed class RequestLimitsTests(ApiFactory factory) : PartnerWriteTest(factory)
{
    [Fact]
    public async Task Post_WhenTheBodyIsOverOneMebibyte_ShouldReturn413ProblemAndStoreNothing()
    {
        var key = await CreateKeyAsync("agreements:write");
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(RawRequest(HttpMethod.Post, "/api/v1/agreements", key,
            "{\"sourceNote\":\"" + new string('a', (int)RequestLimits.MaxBodyBytes) + "\"}"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request.body-too-large");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Post_WhenA10MegabyteBodyIsSentOverKestrel_ShouldAnswer413ProblemInsteadOfResettingTheConnection()
    {
        // A real server this time: Kestrel, not the in-memory test host, decides what happens to the unread body.
        await using var kestrel = new KestrelApi(Factory);
        using var client = kestrel.CreateClient();
        var key = await CreateKeyAsync("agreements:write");

        using var request = RawRequest(HttpMethod.Post, "/api/v1/agreements", key, "{\"sourceNote\":\"" + new string('a', 10 * 1024 * 1024) + "\"}");

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request.body-too-large");
    }

    [Theory]
    [InlineData(RequestLimits.MaxJsonDepth + 1)]
    [InlineData(1000)]
    public async Task Post_WhenTheJsonNestsDeeperThanTheLimit_ShouldReturn400Problem(int depth)
    {
        var key = await CreateKeyAsync("agreements:write");
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

        using var response = await Client.SendAsync(RawRequest(HttpMethod.Post, "/api/v1/agreements", key, "{\"title\":" + nested + "}"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "request.malformed");
    }

    [Fact]
    public async Task Patch_WhenTheJsonNestsDeeperThanTheLimit_ShouldReturn400Problem()
    {
        var key = await CreateKeyAsync("partners:write");
        var nested = new string('[', 1000) + new string(']', 1000);

        using var response = await Client.SendAsync(PatchRequest("/api/v1/partners/osaka-prefecture", key, "{\"shortName\":" + nested + "}", "\"v1\""));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "request.malformed");
    }

    [Fact]
    public async Task Post_WhenAKeyIsGivenTwice_ShouldReturn400ProblemAndStoreNothing()
    {
        var key = await CreateKeyAsync("partners:write");
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(RawRequest(HttpMethod.Post, "/api/v1/partners", key,
            """{"slug":"kanagawa-prefecture","slug":"evil","name":{"ja":"神奈川県"},"kind":"local-government","country":"JP"}"""));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "request.malformed");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Patch_WhenAKeyIsGivenTwice_ShouldReturn400Problem()
    {
        var key = await CreateKeyAsync("partners:write");

        using var response = await Client.SendAsync(PatchRequest("/api/v1/partners/osaka-prefecture", key, """{"shortName":"A","shortName":"B"}""", "\"v1\""));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "request.malformed");
    }

    [Theory]
    [InlineData("/api/v1/agreements?limit=101")]
    [InlineData("/api/v1/partners?limit=101")]
    [InlineData("/api/v1/changes?limit=1001")]
    public async Task List_WhenTheLimitIsOverTheMaximum_ShouldReturn400Problem(string url)
    {
        // The change feed needs a sync:read key (issue 15, item 3).
        await (url.StartsWith("/api/v1/changes", StringComparison.Ordinal)
            ? GetSyncProblemAsync(url, HttpStatusCode.BadRequest, "validation.failed")
            : GetProblemAsync(url, HttpStatusCode.BadRequest, "validation.failed"));
    }

    [Theory]
    [InlineData("scopes", 31)]
    [InlineData("signatories", 31)]
    public async Task Post_WhenAnAgreementListsMoreThan30_ShouldReturn400Problem(string list, int count)
    {
        var key = await CreateKeyAsync("agreements:write");
        var partnerId = await PartnerIdAsync();
        var scopes = list == "scopes" ? Enumerable.Range(0, count).Select(i => $"\"scope-{i}\"") : ["\"mutual-visits\""];
        var signatories = list == "signatories" ? Enumerable.Range(0, count).Select(i => $"{{\"name\":{{\"ja\":\"署名者{i}\"}}}}") : [];
        var body = $$"""
            {"partnerId":"{{partnerId}}","type":"mou","title":{"ja":"覚書"},"signedOn":"2025-09-07",
             "cooperation":{"scopes":[{{string.Join(",", scopes)}}],"isOpenEnded":false},"signatories":[{{string.Join(",", signatories)}}]}
            """;

        using var response = await Client.SendAsync(RawRequest(HttpMethod.Post, "/api/v1/agreements", key, body));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(list, problem["errors"]!.ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>The API on Kestrel on a free loopback port, over the test database.</summary>
    private sealed class KestrelApi : WebApplicationFactory<Program>
    {
        private readonly ApiFactory _inner;

        public KestrelApi(ApiFactory inner)
        {
            _inner = inner;
            UseKestrel(0);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:LinkJ", _inner.ConnectionString);
            builder.UseSetting("Database:ApplyMigrationsOnStartup", "false");
            builder.UseSetting("Database:SeedOnStartup", "false");
        }
    }
}
