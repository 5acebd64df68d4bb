using System.Reflection;
using LinkJ.Application.Agreements;
using LinkJ.Application.Changes;
using LinkJ.Application.Partners;
using LinkJ.Domain.Common;
using Mediator;

namespace LinkJ.Architecture.Tests.Architecture;

/// <summary>
/// ADR 0050: a query's parameters are parsed once, at the edge (<c>ListAgreementsQuery.Parse</c>...), into domain
/// values. So the query handlers and the query services that turn criteria into SQL call no parser: a call to one
/// there would be the second parse of a value (or a value that skipped the edge).
/// </summary>
public sealed class QueriesTypedAtTheEdgeTests
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>The methods that read a stored row into a DTO: a stored value, not a request's, is what they parse.</summary>
    private static readonly string[] RowReaders = ["Read", "FormerNames"];

    [Fact]
    public void QueryHandlers_WhenCompiled_ShouldParseNothing()
    {
        var handlers = Layers.Application.GetTypes()
            .Where(t => !t.IsNested && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IQueryHandler<,>)))
            .ToList();

        Assert.True(handlers.Count >= 8, $"found only {handlers.Count} query handlers");
        Assert.Empty(handlers.SelectMany(t => ParsesIn(t)));
    }

    [Fact]
    public void QueryServices_WhenTheyTurnCriteriaIntoSql_ShouldParseNothing()
    {
        var services = Layers.Infrastructure.GetTypes()
            .Where(t => !t.IsNested && (typeof(IAgreementQueries).IsAssignableFrom(t) || typeof(IPartnerQueries).IsAssignableFrom(t) || typeof(IChangeQueries).IsAssignableFrom(t)))
            .ToList();

        Assert.Equal(3, services.Count);
        Assert.Empty(services.SelectMany(t => ParsesIn(t, RowReaders)));
    }

    /// <summary>
    /// No query or command has a validator: a message carries values the edge has parsed, and no pipeline behaviour runs
    /// validators any more (one written for a message would silently never run).
    /// </summary>
    [Fact]
    public void Messages_WhenCompiled_ShouldHaveNoValidator()
    {
        var validated = Layers.Application.GetTypes()
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(FluentValidation.IValidator<>))
            .Select(i => i.GetGenericArguments()[0])
            .Distinct()
            .ToList();

        Assert.NotEmpty(validated); // the input shapes (AgreementInput, PartnerInput...) have theirs
        Assert.Empty(validated.Where(typeof(IMessage).IsAssignableFrom).Select(t => t.FullName));
    }

    /// <summary>The check sees a parse where it is: in a handler's async method, and in a lambda inside it.</summary>
    [Fact]
    public void ParsesIn_WhenATypeParsesAString_ShouldReportIt()
    {
        var parses = ParsesIn(typeof(ParsesAgain));

        Assert.Contains(parses, p => p.EndsWith("→ PartialDate.TryParse", StringComparison.Ordinal));
        Assert.Contains(parses, p => p.EndsWith("→ CountryCode.Create", StringComparison.Ordinal));
        Assert.Contains(parses, p => p.EndsWith("→ Int64.Parse", StringComparison.Ordinal));
    }

    /// <summary>The calls to a parser by <paramref name="type"/>'s code (its compiler-generated state machines and lambdas included), but for the methods named in <paramref name="except"/> and their lambdas.</summary>
    private static List<string> ParsesIn(Type type, params string[] except) =>
        [.. WithNested(type)
            .SelectMany(t => t.GetMethods(Everything).Cast<MethodBase>().Concat(t.GetConstructors(Everything)))
            .Where(method => !except.Any(name => method.Name == name || method.Name.StartsWith($"<{name}>", StringComparison.Ordinal)))
            .SelectMany(method => ApiUse.MembersNamedBy(method).OfType<MethodBase>().Where(IsParser)
                .Select(called => $"{type.Name}.{method.DeclaringType!.Name}.{method.Name} → {called.DeclaringType!.Name}.{called.Name}"))];

    private static IEnumerable<Type> WithNested(Type type) => type.GetNestedTypes(Everything).SelectMany(WithNested).Prepend(type);

    private static bool IsParser(MethodBase method) =>
        method.Name is "Parse" or "TryParse" or "ParseExact" or "TryParseExact" or "TryDecode"
        || (method.Name == "Create" && method.DeclaringType is { } declaring
            && (declaring == typeof(CountryCode) || declaring == typeof(Slug) || declaring == typeof(PartialDate)));

    private sealed class ParsesAgain
    {
        public static async Task<DateOnly?> HandleAsync(string? signedFrom, string country)
        {
            await Task.Yield();
            var code = CountryCode.Create(country);
            return PartialDate.TryParse(signedFrom, out var from) && code.IsJapan ? from.Earliest : null;
        }

        public static Func<string, long> Position => key => long.Parse(key, System.Globalization.CultureInfo.InvariantCulture);
    }
}
