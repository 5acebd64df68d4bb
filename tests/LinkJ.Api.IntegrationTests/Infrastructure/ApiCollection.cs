namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>All HTTP tests share one API and database and run one after the other; each starts from a freshly seeded state.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "API";
}
