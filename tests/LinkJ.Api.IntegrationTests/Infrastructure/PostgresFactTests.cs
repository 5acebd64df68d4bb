namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>Fault tests may skip for want of PostgreSQL binaries on a developer's machine, never where the suite must run everything.</summary>
public sealed class PostgresFactTests
{
    [Theory]
    [InlineData("true", null)]
    [InlineData("TRUE", null)]
    [InlineData(null, "Host=127.0.0.1;Port=5432;Username=postgres")]
    [InlineData("false", "Host=127.0.0.1;Port=5432;Username=postgres")]
    public void MustRunIn_WhenCiOrATestDatabaseIsGiven_ShouldBeTrueSoAMissingServerFailsInsteadOfSkipping(string? ci, string? connection) =>
        Assert.True(PostgresFactAttribute.MustRunIn(name => name switch { "CI" => ci, "LINKJ_TEST_CONNECTION" => connection, _ => null }));

    [Theory]
    [InlineData(null, null)]
    [InlineData("false", null)]
    [InlineData("", "  ")]
    public void MustRunIn_WhenNeitherCiNorATestDatabaseIsGiven_ShouldBeFalseSoADeveloperMayRunWithoutTheBinaries(string? ci, string? connection) =>
        Assert.False(PostgresFactAttribute.MustRunIn(name => name switch { "CI" => ci, "LINKJ_TEST_CONNECTION" => connection, _ => null }));

    [Fact]
    public void PostgresFact_WhenTheEnvironmentMustRunEverything_ShouldNotBeSkipped()
    {
        var fact = new PostgresFactAttribute();

        if (PostgresFactAttribute.MustRun || PrivatePostgres.SkipReason is null)
        {
            Assert.Null(fact.Skip);
        }
        else
        {
            Assert.Equal(PrivatePostgres.SkipReason, fact.Skip);
        }
    }
}
