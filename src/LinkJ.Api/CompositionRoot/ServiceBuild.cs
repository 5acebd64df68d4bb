using System.Reflection;
using LinkJ.Api.Http;

namespace LinkJ.Api.CompositionRoot;

/// <summary>The running build (<see cref="BuildIdentity"/>) and the assemblies it is made of: every layer, Infrastructure included.</summary>
public static class ServiceBuild
{
    /// <summary>The assemblies whose code makes the service's responses.</summary>
    public static IReadOnlyList<Assembly> Assemblies { get; } =
    [
        typeof(BuildIdentity).Assembly,
        typeof(LinkJ.Application.DependencyInjection).Assembly,
        typeof(LinkJ.Infrastructure.DependencyInjection).Assembly,
        typeof(LinkJ.Domain.Common.AggregateRoot).Assembly,
    ];

    /// <summary>The running build.</summary>
    public static BuildIdentity Current { get; } = BuildIdentity.Of(Assemblies);
}
