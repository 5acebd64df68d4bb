using System.Net;
using System.Net.Http.Json;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>A partner is never deleted while it has agreements, even when the delete races a new agreement.</summary>
public sealed class PartnerDeletionRaceTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task DeleteAndCreateAgreement_WhenRacing_ShouldNeverLeaveAnAgreementOnADeletedPartner()
    {
        var key = await CreateKeyAsync("admin");
        var outcomes = new List<(HttpStatusCode Delete, HttpStatusCode Create)>();

        for (var round = 0; round < 12; round++)
        {
            var slug = $"race-partner-{round}";
            using var created = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/partners", key,
                new { slug, name = new { ja = $"競合{round}" }, kind = "company", country = "JP" }));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var partnerId = (await created.Content.ReadFromJsonAsync<PartnerId>(Json))!.Id;

            // The partner's row locked: the delete (its UPDATE) and the new agreement (its check of the partner) both wait
            // on it, then go at once.
            var answers = await RaceAsync<HttpStatusCode>("SELECT 1 FROM partners WHERE id = @id FOR UPDATE", 2, [
                async () =>
                {
                    using var response = await Client.SendAsync(Request(HttpMethod.Delete, $"/api/v1/partners/{slug}", key, ifMatch: "\"v1\""));
                    return response.StatusCode;
                },
                async () =>
                {
                    using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, NewAgreement(partnerId.ToString())));
                    return response.StatusCode;
                },
            ], ("id", partnerId));
            var (deleted, createdAgreement) = (answers[0], answers[1]);
            outcomes.Add((deleted, createdAgreement));

            // exactly one side wins: the partner is deleted and the agreement refused, or the agreement exists and the delete refused
            Assert.True(
                (deleted == HttpStatusCode.NoContent && createdAgreement == HttpStatusCode.UnprocessableEntity)
                || (deleted == HttpStatusCode.Conflict && createdAgreement == HttpStatusCode.Created),
                $"round {round}: delete {(int)deleted}, create {(int)createdAgreement}");
        }

        Assert.Equal(0, await Factory.ScalarAsync<long>(
            "SELECT count(*) FROM agreements a JOIN partners p ON p.id = a.partner_id WHERE a.deleted_at IS NULL AND p.deleted_at IS NOT NULL"));
    }

    [Fact]
    public async Task Database_WhenAPartnerWithAgreementsIsDeletedBehindTheServicesBack_ShouldRefuse()
    {
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            Factory.ScalarAsync<object>("UPDATE partners SET deleted_at = now() WHERE slug = 'osaka-prefecture'"));

        Assert.Equal("partners_no_live_agreements", error.ConstraintName);
    }

    [Fact]
    public async Task Database_WhenAnAgreementIsMovedToADeletedPartner_ShouldRefuse()
    {
        await Factory.ScalarAsync<object>(
            "INSERT INTO partners (id, slug, name_ja, kind, country, former_names, version, created_at, updated_at, deleted_at) " +
            "VALUES (gen_random_uuid(), 'gone', '消えた団体', 'company', 'JP', '[]', 2, now(), now(), now())");

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Factory.ScalarAsync<object>(
            "UPDATE agreements SET partner_id = (SELECT id FROM partners WHERE slug = 'gone') WHERE id = (SELECT id FROM agreements LIMIT 1)"));

        Assert.Equal("agreements_partner_live", error.ConstraintName);
    }

    private sealed record PartnerId(Guid Id);
}
