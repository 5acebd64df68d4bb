using System.Reflection;
using LinkJ.Domain.Common;

namespace LinkJ.Architecture.Tests.Architecture;

/// <summary>The four layers' assemblies and the two checks the layer tests make: which assemblies one references, and what a type exposes.</summary>
public static class Layers
{
    public static Assembly Domain { get; } = typeof(AggregateRoot).Assembly;

    public static Assembly Application { get; } = typeof(LinkJ.Application.DependencyInjection).Assembly;

    public static Assembly Infrastructure { get; } = typeof(LinkJ.Infrastructure.DependencyInjection).Assembly;

    public static Assembly Api { get; } = typeof(Program).Assembly;

    /// <summary>The names of the assemblies <paramref name="assembly"/> references that start with any of <paramref name="prefixes"/>, sorted.</summary>
    public static IReadOnlyList<string> ReferencesStartingWith(Assembly assembly, params string[] prefixes) =>
        [.. assembly.GetReferencedAssemblies()
            .Select(reference => reference.Name!)
            .Where(name => prefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)];

    /// <summary>
    /// The domain aggregates a type exposes: the type itself if it is one, the types of its generic arguments, array
    /// elements and nullable values, and, for types of the assemblies <paramref name="walkInto"/>, their public properties, recursively.
    /// </summary>
    public static IReadOnlyList<string> ExposedAggregates(Type type, params Assembly[] walkInto)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        Walk(type, walkInto, [], found);
        return [.. found];
    }

    /// <summary>The aggregates exposed by the public properties of <paramref name="type"/> (a DTO), as "Property: Aggregate".</summary>
    public static IReadOnlyList<string> AggregatePropertiesOf(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(property => ExposedAggregates(property.PropertyType).Select(aggregate => $"{type.Name}.{property.Name}: {aggregate}"))];

    private static void Walk(Type type, Assembly[] walkInto, HashSet<Type> seen, SortedSet<string> found)
    {
        if (!seen.Add(type))
        {
            return;
        }

        if (typeof(AggregateRoot).IsAssignableFrom(type))
        {
            found.Add(type.Name);
        }

        if (type.HasElementType)
        {
            Walk(type.GetElementType()!, walkInto, seen, found);
        }

        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            Walk(argument, walkInto, seen, found);
        }

        if (walkInto.Contains(type.Assembly))
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                Walk(property.PropertyType, walkInto, seen, found);
            }
        }
    }
}
