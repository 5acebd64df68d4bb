using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>Every partner write, tried without a key, with a wrong key, a key without the scope and a revoked key; and with the keys that may.</summary>
public sealed class PartnerWriteAuthTests(ApiFactory factory) : PartnerWriteTest(factory)
{
    private const string Target = "kanagawa-prefecture";

    public static TheoryData<string, string> Writes => new()
    {
        { "POST", "/api/v1/partners" },
        { "PUT", $"/api/v1/partners/{Target}" },
        { "PATCH", $"/api/v1/partners/{Target}" },
        { "DELETE", $"/api/v1/partners/{Target}" },
        { "PUT", "/api/v1/partners/by-ref/crm/P-77" },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Write_WhenNoKey_ShouldReturn401AndChangeNothing(string method, string path) =>
        await AssertRejectedAsync(method, path, key: null, HttpStatusCode.Unauthorized, "auth.unauthenticated");

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Write_WhenUnknownKey_ShouldReturn401AndChangeNothing(string method, string path) =>
        await AssertRejectedAsync(method, path, "lj_00000000_" + new string('0', 64), HttpStatusCode.Unauthorized, "auth.unauthenticated");

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Write_WhenKeyHasOnlyAgreementsWrite_ShouldReturn403AndChangeNothing(string method, string path) =>
        await AssertRejectedAsync(method, path, await CreateKeyAsync("agreements:write"), HttpStatusCode.Forbidden, "auth.forbidden");

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Write_WhenKeyRevoked_ShouldReturn401AndChangeNothing(string method, string path)
    {
        var key = await CreateKeyAsync("partners:write");
        await RevokeAsync(key);
        await AssertRejectedAsync(method, path, key, HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [Theory]
    [InlineData("partners:write", "test-partners-write")]
    [InlineData("admin", "test-admin")]
    public async Task Write_WhenKeyHasPartnersWriteOrAdmin_ShouldSucceedAndRecordTheKeyNameInHistory(string scope, string keyName)
    {
        var key = await CreateKeyAsync(scope);

        var created = await CreatePartnerAsync(key, NewPartner(Target));
        var replaced = await SendAsync(Request(HttpMethod.Put, $"/api/v1/partners/{Target}", key, NewPartner(Target, "神奈川県（改）"), created.ETag), HttpStatusCode.OK);
        var patched = await SendAsync(PatchRequest($"/api/v1/partners/{Target}", key, """{"shortName":"KNG"}""", replaced.ETag), HttpStatusCode.OK);
        var upserted = await SendAsync(Request(HttpMethod.Put, "/api/v1/partners/by-ref/crm/P-77", key, NewPartner("chiba-prefecture", "千葉県")), HttpStatusCode.Created);
        await SendAsync(Request(HttpMethod.Delete, $"/api/v1/partners/{Target}", key, ifMatch: patched.ETag), HttpStatusCode.NoContent);

        var history = await HistoryAsync($"/api/v1/partners/{Target}");
        Assert.Equal(["created", "updated", "updated", "deleted"], history.Select(h => h!["operation"]!.GetValue<string>()));
        Assert.All(history, h => Assert.Equal(keyName, h!["actor"]!.GetValue<string>()));
        var upsertHistory = await HistoryAsync(upserted.Location!);
        Assert.Equal(keyName, Assert.Single(upsertHistory)!["actor"]!.GetValue<string>());
    }

    /// <summary>
    /// Sends a write that would succeed with a partners:write key (a new partner, a change of a partner without
    /// agreements, an upsert of a new client id) and asserts it is rejected and the database did not change.
    /// </summary>
    private async Task AssertRejectedAsync(string method, string path, string? key, HttpStatusCode status, string code)
    {
        var created = await CreatePartnerAsync(await CreateKeyAsync("admin"), NewPartner(Target));
        var request = method switch
        {
            "POST" => Request(HttpMethod.Post, path, key, NewPartner("chiba-prefecture", "千葉県")),
            "PUT" when path.Contains("/by-ref/", StringComparison.Ordinal) => Request(HttpMethod.Put, path, key, NewPartner("chiba-prefecture", "千葉県")),
            "PUT" => Request(HttpMethod.Put, path, key, NewPartner(Target, "神奈川県（改）"), created.ETag),
            "PATCH" => PatchRequest(path, key, """{"shortName":"KNG"}""", created.ETag),
            _ => Request(new HttpMethod(method), path, key, ifMatch: created.ETag),
        };
        var before = await SnapshotAsync();

        using (request)
        {
            using var response = await Client.SendAsync(request);
            await AssertProblemAsync(response, status, code);
        }

        Assert.Equal(before, await SnapshotAsync());
    }
}
