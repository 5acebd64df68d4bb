namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The fixture re-seeds only when something wrote to the database: these tests show that a write is noticed (and
/// undone) and that reading alone is not, since the suite's isolation depends on both.
/// </summary>
public sealed class DatabaseResetTests(ApiFactory factory) : ApiTest(factory)
{
    private const string OsakaNameSql = "SELECT name_ja FROM partners WHERE slug = 'osaka-prefecture'";
    private const string OsakaCreatedAtSql = "SELECT created_at FROM partners WHERE slug = 'osaka-prefecture'";

    [Fact]
    public async Task ResetDatabaseIfChanged_WhenATestWroteThroughSql_ShouldRestoreTheSeededData()
    {
        await Factory.ScalarAsync<object>("UPDATE partners SET name_ja = '書き換え' WHERE slug = 'osaka-prefecture'");
        Assert.Equal("書き換え", await Factory.ScalarAsync<string>(OsakaNameSql));

        await Factory.ResetDatabaseIfChangedAsync();

        Assert.Equal("大阪府", await Factory.ScalarAsync<string>(OsakaNameSql));
        var partner = await GetJsonAsync("/api/v1/partners/osaka-prefecture");
        Assert.Equal("大阪府", partner["name"]!["ja"]!.GetValue<string>());
    }

    [Fact]
    public async Task ResetDatabaseIfChanged_WhenATestDeletedRows_ShouldBringThemBack()
    {
        await Factory.ScalarAsync<object>("DELETE FROM agreements WHERE signed_on >= '2019-01-01'");
        Assert.Equal(9L, await Factory.ScalarAsync<long>("SELECT count(*) FROM agreements"));

        await Factory.ResetDatabaseIfChangedAsync();

        Assert.Equal(13L, await Factory.ScalarAsync<long>("SELECT count(*) FROM agreements"));
    }

    [Fact]
    public async Task ResetDatabaseIfChanged_WhenTestsOnlyRead_ShouldLeaveTheDatabaseAsItIs()
    {
        await Factory.ResetDatabaseIfChangedAsync();
        var createdAt = await Factory.ScalarAsync<DateTime>(OsakaCreatedAtSql);
        _ = await GetJsonAsync("/api/v1/agreements?limit=100");

        await Factory.ResetDatabaseIfChangedAsync();

        // A re-seed would have created the partner again, with a later created_at.
        Assert.Equal(createdAt, await Factory.ScalarAsync<DateTime>(OsakaCreatedAtSql));
    }
}
