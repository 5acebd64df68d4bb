using LinkJ.Application.Agreements;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Partners;
using Mediator;

namespace LinkJ.Architecture.Tests.Architecture;

/// <summary>
/// The clean-architecture rule, checked on the compiled assemblies: dependencies point inwards (Api → Infrastructure →
/// Application → Domain), the inner layers know nothing of the web or the database driver, and what the use cases
/// hand out are DTOs, never the domain's aggregates.
/// </summary>
public sealed class LayerDependencyTests
{
    [Fact]
    public void Domain_WhenCompiled_ShouldReferenceNoOtherLinkJAssembly()
    {
        Assert.Empty(Layers.ReferencesStartingWith(Layers.Domain, "LinkJ."));
    }

    [Fact]
    public void Domain_WhenCompiled_ShouldReferenceNeitherEfCoreNorAspNetCoreNorTheDatabaseDriver()
    {
        Assert.Empty(Layers.ReferencesStartingWith(Layers.Domain, "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Npgsql"));
    }

    [Fact]
    public void Application_WhenCompiled_ShouldReferenceOnlyTheDomainAmongOurAssemblies()
    {
        Assert.Equal(["LinkJ.Domain"], Layers.ReferencesStartingWith(Layers.Application, "LinkJ."));
    }

    [Fact]
    public void Application_WhenCompiled_ShouldReferenceNeitherAspNetCoreNorTheDatabaseDriver()
    {
        Assert.Empty(Layers.ReferencesStartingWith(Layers.Application, "Microsoft.AspNetCore", "Npgsql"));
    }

    /// <summary>
    /// The use cases say what to read and write; how (EF Core's queries and change tracking, SQL) is Infrastructure's:
    /// queries through the query services, writes through the repositories and the unit of work (ADRs 0031, 0032).
    /// </summary>
    [Fact]
    public void Application_WhenCompiled_ShouldNotReferenceEfCore()
    {
        Assert.Empty(Layers.ReferencesStartingWith(Layers.Application, "Microsoft.EntityFrameworkCore"));
    }

    [Fact]
    public void Infrastructure_WhenCompiled_ShouldNotReferenceTheApi()
    {
        Assert.Empty(Layers.ReferencesStartingWith(Layers.Infrastructure, "LinkJ.Api"));
    }

    /// <summary>The check sees references that exist: the host does wire up the infrastructure and the use cases.</summary>
    [Fact]
    public void ReferencesStartingWith_WhenTheApiReferencesInfrastructure_ShouldReportIt()
    {
        Assert.Equal(["LinkJ.Infrastructure"], Layers.ReferencesStartingWith(Layers.Api, "LinkJ.Infrastructure"));
        Assert.Equal(["LinkJ.Application", "LinkJ.Domain"], Layers.ReferencesStartingWith(Layers.Infrastructure, "LinkJ."));
        Assert.Contains("Npgsql", Layers.ReferencesStartingWith(Layers.Infrastructure, "Npgsql"));
    }

    [Fact]
    public void Dtos_WhenCompiled_ShouldExposeNoDomainAggregate()
    {
        var dtos = Layers.Application.GetTypes().Where(t => t.IsPublic && t.Name.EndsWith("Dto", StringComparison.Ordinal)).ToList();

        Assert.Contains(typeof(AgreementDto), dtos);
        Assert.Contains(typeof(PartnerDto), dtos);
        Assert.Contains(typeof(PartnerSummaryDto), dtos);
        Assert.Empty(dtos.SelectMany(Layers.AggregatePropertiesOf));
    }

    /// <summary>What a query answers (through pages, lists and nested DTOs) holds no aggregate either.</summary>
    [Fact]
    public void Queries_WhenCompiled_ShouldAnswerWithNoDomainAggregate()
    {
        var responses = Layers.Application.GetTypes()
            .SelectMany(t => t.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IQuery<>)).Select(i => (Query: t, Response: i.GetGenericArguments()[0])))
            .ToList();

        Assert.True(responses.Count >= 5, $"found only {responses.Count} queries");
        Assert.Empty(responses.SelectMany(r => Layers.ExposedAggregates(r.Response, Layers.Application).Select(a => $"{r.Query.Name}: {a}")));
    }

    /// <summary>The DTO check sees aggregates where they are: directly, in a list, in an array.</summary>
    [Fact]
    public void AggregatePropertiesOf_WhenADtoHoldsAggregates_ShouldReportEachProperty()
    {
        Assert.Equal(
            ["LeakyDto.Agreements: Agreement", "LeakyDto.History: Agreement", "LeakyDto.Partner: Partner"],
            Layers.AggregatePropertiesOf(typeof(LeakyDto)).Order(StringComparer.Ordinal));
    }

    /// <summary>The query check follows a response through a page to an aggregate.</summary>
    [Fact]
    public void ExposedAggregates_WhenAResponseWrapsAnAggregate_ShouldReportIt()
    {
        Assert.Equal(["Partner"], Layers.ExposedAggregates(typeof(Page<Partner>), Layers.Application));
        Assert.Equal(["Agreement"], Layers.ExposedAggregates(typeof(LeakyResponse), Layers.Application, typeof(LayerDependencyTests).Assembly));
        Assert.Empty(Layers.ExposedAggregates(typeof(Page<PartnerDto>), Layers.Application));
    }

    private sealed record LeakyDto(Partner Partner, IReadOnlyList<Agreement> Agreements, Agreement[] History, string Name);

    /// <summary>An aggregate two levels down: a page of a type whose property holds it.</summary>
    private sealed record LeakyResponse(Page<Holder> Page);

    private sealed record Holder(Agreement Agreement);
}
