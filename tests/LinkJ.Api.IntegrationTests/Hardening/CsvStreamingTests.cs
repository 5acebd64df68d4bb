using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Hardening;

/// <summary>
/// Issue 15, item 10: a CSV export has every matching record, however many: streamed page by page (constant memory), never
/// cut short at a cap.
/// </summary>
public sealed class CsvStreamingTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task ExportAgreements_WhenThereAreMorePagesThanOne_ShouldExportEveryRowOnceInListOrder()
    {
        var key = await CreateKeyAsync("agreements:write");
        await CreateAgreementAsync(key);
        var expected = (await GetJsonAsync("/api/v1/agreements?limit=100"))["items"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).ToList();
        Assert.True(expected.Count >= 14);

        await using var host = Factory.WithWebHostBuilder(builder => builder.UseSetting("Exports:PageSize", "5"));
        using var client = host.CreateClient();
        var lines = await CsvLinesAsync(client, "/api/v1/agreements?format=csv");

        Assert.Equal(expected, lines.Skip(1).Select(line => line.Split(',')[0]));
    }

    [Fact]
    public async Task ExportAgreements_WhenServed_ShouldBeStreamedRatherThanBufferedWhole()
    {
        // The server's own client: the suite's default one checks each body against the document, which buffers it.
        using var raw = Factory.Server.CreateClient();
        using var response = await raw.GetAsync("/api/v1/agreements/export.csv", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal("attachment; filename=agreements.csv; filename*=UTF-8''agreements.csv", response.Content.Headers.ContentDisposition!.ToString());
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task ExportPartners_WhenThereAreMoreRowsThanTheOldCapOf100000_ShouldExportEveryRow()
    {
        const int Bulk = 100_001;
        try
        {
            await using (var connection = new NpgsqlConnection(Factory.ConnectionString))
            {
                await connection.OpenAsync();
                // Without the tables' triggers (tallies, ordinals, the tests' own write counter): 100,001 rows in a second or
                // two instead of minutes. The database is reset explicitly below.
                await using var insert = new NpgsqlCommand(
                    "SET session_replication_role = replica; " +
                    "INSERT INTO partners (id, slug, name_ja, name_en, kind, country, former_names, created_at, updated_at, version) " +
                    "SELECT gen_random_uuid(), 'bulk-' || i, p.name_ja || i, p.name_en, p.kind, p.country, p.former_names, p.created_at, p.updated_at, p.version " +
                    $"FROM partners p, generate_series(1, {Bulk}) i WHERE p.slug = 'osaka-prefecture'",
                    connection) { CommandTimeout = 300 };
                await insert.ExecuteNonQueryAsync();
            }

            var partners = await Factory.ScalarAsync<long>("SELECT count(*) FROM partners WHERE deleted_at IS NULL");
            Assert.True(partners > Bulk);

            var lines = await CsvLinesAsync(Client, "/api/v1/partners?format=csv");

            Assert.Equal(partners, lines.Count - 1);
            Assert.Equal(partners, lines.Skip(1).Select(line => line.Split(',')[0]).Distinct().LongCount());
        }
        finally
        {
            await Factory.ResetDatabaseAsync();
        }
    }
    private static async Task<List<string>> CsvLinesAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text.Length > 2000 ? text[..2000] : text);
        return [.. text.TrimStart('\uFEFF').Split("\r\n").Where(line => line.Length > 0)];
    }
}
