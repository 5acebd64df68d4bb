using Microsoft.EntityFrameworkCore;

namespace LinkJ.Architecture.Tests.Architecture;

/// <summary>
/// The read side (ADR 0031): the use cases in Application's Queries namespaces say what to read; how it is read (SQL, EF
/// Core) lives in Infrastructure's query services. So no type there may use EF Core's API.
/// </summary>
public sealed class ReadSideTests
{
    private const string EfCore = "Microsoft.EntityFrameworkCore";

    [Fact]
    public void ApplicationQueries_WhenCompiled_ShouldUseNoEfCoreApi()
    {
        var queryTypes = Layers.Application.GetTypes()
            .Where(t => t.Namespace is { } ns && ns.Split('.').Contains("Queries", StringComparer.Ordinal))
            .ToList();

        Assert.True(queryTypes.Count >= 15, $"found only {queryTypes.Count} types in Queries namespaces");
        Assert.Empty(queryTypes.SelectMany(t => ApiUse.Of(t, EfCore)));
    }

    /// <summary>The check sees EF Core where it is used: a query's result read with an EF Core extension, inside an async method.</summary>
    [Fact]
    public void ApiUseOf_WhenATypeCallsEfCore_ShouldReportIt()
    {
        var uses = Layers.Application.GetTypes().Concat(typeof(ReadSideTests).Assembly.GetTypes())
            .Where(t => t.FullName!.StartsWith(typeof(UsesEfCore).FullName!, StringComparison.Ordinal))
            .SelectMany(t => ApiUse.Of(t, EfCore))
            .ToList();

        Assert.Contains(uses, use => use.EndsWith("→ " + typeof(EntityFrameworkQueryableExtensions).FullName, StringComparison.Ordinal));
    }

    private static class UsesEfCore
    {
        public static async Task<int> CountAsync(IQueryable<int> numbers) => (await numbers.ToListAsync()).Count;
    }
}
