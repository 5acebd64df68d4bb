using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>Every agreement write, tried without a key, with a wrong key, a key without the scope and a revoked key.</summary>
public sealed class AgreementWriteAuthTests(ApiFactory factory) : WriteTest(factory)
{
    public static TheoryData<string, string, bool> Writes => new()
    {
        { "POST", "/api/v1/agreements", true },
        { "PUT", "/api/v1/agreements/{id}", true },
        { "DELETE", "/api/v1/agreements/{id}", false },
        { "POST", "/api/v1/agreements/{id}/activate", false },
        { "POST", "/api/v1/agreements/{id}/terminate", true },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Write_WhenNoKey_ShouldReturn401AndChangeNothing(string method, string path, bool hasBody) =>
        await AssertRejectedAsync(method, path, hasBody, key: null, HttpStatusCode.Unauthorized, "auth.unauthenticated");

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Write_WhenUnknownKey_ShouldReturn401AndChangeNothing(string method, string path, bool hasBody) =>
        await AssertRejectedAsync(method, path, hasBody, "lj_00000000_" + new string('0', 64), HttpStatusCode.Unauthorized, "auth.unauthenticated");

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Write_WhenKeyLacksScope_ShouldReturn403AndChangeNothing(string method, string path, bool hasBody) =>
        await AssertRejectedAsync(method, path, hasBody, await CreateKeyAsync("partners:write"), HttpStatusCode.Forbidden, "auth.forbidden");

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Write_WhenKeyRevoked_ShouldReturn401AndChangeNothing(string method, string path, bool hasBody)
    {
        var key = await CreateKeyAsync("agreements:write");
        await RevokeAsync(key);
        await AssertRejectedAsync(method, path, hasBody, key, HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [Fact]
    public async Task Create_WhenAdminKeyInXApiKeyHeader_ShouldReturn201AndRecordTheKeyNameInHistory()
    {
        var key = await CreateKeyAsync("admin");
        using var request = Request(HttpMethod.Post, "/api/v1/agreements", key: null, NewAgreement(await PartnerIdAsync()));
        request.Headers.Add("X-Api-Key", key);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var history = await GetSyncJsonAsync(response.Headers.Location + "/history");
        Assert.Equal("test-admin", history[0]!["actor"]!.GetValue<string>());
    }

    private async Task AssertRejectedAsync(string method, string path, bool hasBody, string? key, HttpStatusCode status, string code)
    {
        var osaka = (await GetJsonAsync($"/api/v1/partners/{OsakaPartnerSlug}/agreements"))["items"]![0]!["id"]!.GetValue<string>();
        object? body = hasBody
            ? path.EndsWith("terminate", StringComparison.Ordinal) ? new { on = "2026-01-01", reason = "test" } : NewAgreement(await PartnerIdAsync())
            : null;
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(new HttpMethod(method), path.Replace("{id}", osaka), key, body, ifMatch: "\"v1\""));

        await AssertProblemAsync(response, status, code);
        Assert.Equal(before, await SnapshotAsync());
    }
}
