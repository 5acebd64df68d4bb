namespace LinkJ.Api.IntegrationTests.Faults;

/// <summary>
/// The fault tests start PostgreSQL clusters and API processes of their own: one at a time, so that they do not load
/// the machine together (they still run beside the API collection).
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollection
{
    public const string Name = "Faults";
}
