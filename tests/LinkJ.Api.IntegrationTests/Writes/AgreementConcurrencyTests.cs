using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>If-Match: no write to an existing agreement without it, and no lost update with it.</summary>
public sealed class AgreementConcurrencyTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task Replace_WhenManyWritersRaceWithTheSameETag_ShouldLetExactlyOneWin()
    {
        var key = await CreateKeyAsync("agreements:write");
        var (id, etag) = await CreateAgreementAsync(key);
        var partnerId = await PartnerIdAsync();

        // The row locked: every writer reads v1, passes the If-Match check and waits at its UPDATE; then all go at once.
        var responses = await RaceAsync("SELECT 1 FROM agreements WHERE id = @id FOR UPDATE", 8, [.. Enumerable.Range(1, 8).Select(writer => (Func<Task<(HttpStatusCode StatusCode, string Title)>>)(async () =>
        {
            using var response = await Client.SendAsync(Request(HttpMethod.Put, $"/api/v1/agreements/{id}", key,
                NewAgreement(partnerId, titleJa: $"書き手{writer}の題名"), ifMatch: etag));
            return (response.StatusCode, Title: $"書き手{writer}の題名");
        }))], ("id", Guid.Parse(id)));

        var winners = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Single(winners);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode));
        var stored = await GetJsonAsync($"/api/v1/agreements/{id}");
        Assert.Equal(2, stored["version"]!.GetValue<int>());
        Assert.Equal(winners[0].Title, stored["title"]!["ja"]!.GetValue<string>());
    }

    [Fact]
    public async Task Replace_WhenETagIsStale_ShouldReturn412WithTheCurrentETagAndKeepTheNewerData()
    {
        var key = await CreateKeyAsync("agreements:write");
        var (id, etag) = await CreateAgreementAsync(key);
        var partnerId = await PartnerIdAsync();
        using (var first = await Client.SendAsync(Request(HttpMethod.Put, $"/api/v1/agreements/{id}", key, NewAgreement(partnerId, "最初の更新"), etag)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("\"v2\"", first.Headers.ETag!.Tag);
        }

        var before = await SnapshotAsync();
        using var lost = await Client.SendAsync(Request(HttpMethod.Put, $"/api/v1/agreements/{id}", key, NewAgreement(partnerId, "古い版からの更新"), etag));

        var problem = await AssertProblemAsync(lost, HttpStatusCode.PreconditionFailed, "version.stale");
        Assert.Equal("\"v2\"", lost.Headers.ETag!.Tag);
        Assert.Equal("\"v2\"", problem["currentETag"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal("最初の更新", (await GetJsonAsync($"/api/v1/agreements/{id}"))["title"]!["ja"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.PreconditionRequired, "precondition.required")]
    [InlineData("v1", HttpStatusCode.BadRequest, "precondition.malformed")]
    [InlineData("\"abc\"", HttpStatusCode.BadRequest, "precondition.malformed")]
    [InlineData("\"v0\"", HttpStatusCode.BadRequest, "precondition.malformed")]
    public async Task Replace_WhenIfMatchMissingOrMalformed_ShouldRejectAndChangeNothing(string? ifMatch, HttpStatusCode status, string code)
    {
        var key = await CreateKeyAsync("agreements:write");
        var (id, _) = await CreateAgreementAsync(key);
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Put, $"/api/v1/agreements/{id}", key, NewAgreement(await PartnerIdAsync(), "変更"), ifMatch));

        await AssertProblemAsync(response, status, code);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Replace_WhenSameDetailsSentAgain_ShouldKeepTheVersion()
    {
        var key = await CreateKeyAsync("agreements:write");
        var (id, etag) = await CreateAgreementAsync(key);

        using var response = await Client.SendAsync(Request(HttpMethod.Put, $"/api/v1/agreements/{id}", key, NewAgreement(await PartnerIdAsync()), etag));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag!.Tag);
    }
}
