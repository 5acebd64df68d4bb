using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Application.Abstractions;
using LinkJ.Infrastructure.Maintenance;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>Renewal and automatic expiry.</summary>
public sealed class AgreementLifecycleTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task Renew_WhenActive_ShouldCreateALinkedSuccessorAndTerminateThePredecessorFromItsStart()
    {
        var key = await CreateKeyAsync("agreements:write");
        var osaka = (await GetJsonAsync($"/api/v1/partners/{OsakaPartnerSlug}/agreements"))["items"]![0]!;
        var id = osaka["id"]!.GetValue<string>();

        // Signed a year ago for five years, by the service's own clock: active whatever the day the suite runs.
        var signedOn = Factory.Services.GetRequiredService<IClock>().TodayInJapan.AddYears(-1);
        var until = signedOn.AddMonths(60).AddDays(-1);

        using var response = await Client.SendAsync(Request(HttpMethod.Post, $"/api/v1/agreements/{id}/renew", key,
            new { signedOn = Iso(signedOn), validity = new { termMonths = 60 } }, ifMatch: "\"v1\""));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var successor = await GetJsonAsync(response.Headers.Location!.ToString());
        Assert.Equal(id, successor["supersedesId"]!.GetValue<string>());
        Assert.Equal("active", successor["status"]!.GetValue<string>());
        Assert.Equal(Iso(until), successor["validity"]!["until"]!.GetValue<string>());
        Assert.Equal(osaka["cooperation"]!.ToJsonString(), successor["cooperation"]!.ToJsonString());
        Assert.Null(successor["ordinal"]); // a renewal is not a new partnership
        var predecessor = await GetJsonAsync($"/api/v1/agreements/{id}");
        Assert.Equal("terminated", predecessor["status"]!.GetValue<string>());
        Assert.Equal(Iso(signedOn), predecessor["terminatedOn"]!.GetValue<string>());
        Assert.Equal(13, predecessor["ordinal"]!["overall"]!.GetValue<long>());
    }

    [Fact]
    public async Task Renew_WhenSigningDateUnchanged_ShouldReturn400AndChangeNothing()
    {
        var key = await CreateKeyAsync("agreements:write");
        var id = (await GetJsonAsync($"/api/v1/partners/{OsakaPartnerSlug}/agreements"))["items"]![0]!["id"]!.GetValue<string>();
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Post, $"/api/v1/agreements/{id}/renew", key, new { title = new { ja = "更新" } }, ifMatch: "\"v1\""));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("signedOn"));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Maintenance_WhenAnActiveAgreementsValidityHasEnded_ShouldExpireItAndRecordTheChangeBySystem()
    {
        var key = await CreateKeyAsync("agreements:write");
        var (id, _) = await CreateAgreementAsync(key);
        await Factory.ScalarAsync<object>($"UPDATE agreements SET valid_until = DATE '2025-12-31' WHERE id = '{id}'");

        await Factory.Services.GetRequiredService<MaintenanceService>().RunOnceAsync(CancellationToken.None);

        var agreement = await GetJsonAsync($"/api/v1/agreements/{id}");
        Assert.Equal("expired", agreement["status"]!.GetValue<string>());
        var history = (await GetSyncJsonAsync($"/api/v1/agreements/{id}/history")).AsArray();
        Assert.Equal("system", history[^1]!["actor"]!.GetValue<string>());
        Assert.Contains("status", history[^1]!["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
