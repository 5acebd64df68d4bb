using System.Reflection;
using LinkJ.Application.Agreements;
using LinkJ.Api.Pages;
using LinkJ.Application.Agreements.Queries.ListAgreements;
using LinkJ.Application.Changes;
using LinkJ.Application.Common;
using LinkJ.Application.Partners;
using LinkJ.Application.Webhooks;
using LinkJ.Domain.Common;
using LinkJ.Infrastructure.Webhooks;
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

    /// <summary>
    /// Infrastructure takes what the edge parsed (ADR 0054): it calls none of the edge's parsers (<see cref="WireParse"/>,
    /// a query's or a page's <c>Parse</c>), and does not make a search term of its own (the normalising is the edge's, once).
    /// </summary>
    [Fact]
    public void Infrastructure_WhenCompiled_ShouldCallNoEdgeParser()
    {
        var calls = Layers.Infrastructure.GetTypes().Where(t => !t.IsNested).SelectMany(t => CallsIn(t, IsEdgeParser)).ToList();

        Assert.Empty(calls);
    }

    /// <summary>The write side's repositories find what the edge parsed (a partner by its <see cref="PartnerRef"/>): they parse no path text.</summary>
    [Fact]
    public void Repositories_WhenCompiled_ShouldParseNothing()
    {
        var repositories = Layers.Infrastructure.GetTypes()
            .Where(t => !t.IsNested && t.GetInterfaces().Any(i => i.Name.EndsWith("Repository", StringComparison.Ordinal) && i.Namespace == "LinkJ.Application.Abstractions"))
            .ToList();

        Assert.True(repositories.Count >= 2, $"found only {repositories.Count} repositories");
        Assert.Empty(repositories.SelectMany(t => ParsesIn(t)));
    }

    /// <summary>The delivery log's <c>before</c> and <c>limit</c> are parsed at the edge (<see cref="DeliveryLogPage.Parse"/>): the admin parses nothing.</summary>
    [Fact]
    public void WebhookAdmin_WhenCompiled_ShouldParseNothing()
    {
        Assert.Empty(ParsesIn(typeof(WebhookAdmin)));
    }

    /// <summary>
    /// What the reads' services are handed is typed: no criteria property and no parameter of a read (nor of the
    /// delivery log's) is request text, which a service would have to parse (a search is a <see cref="SearchTerm"/>).
    /// </summary>
    [Fact]
    public void ReadContracts_WhenCompiled_ShouldTakeNoRequestText()
    {
        var reads = new[] { typeof(IAgreementQueries), typeof(IPartnerQueries), typeof(IChangeQueries) }
            .SelectMany(t => t.GetMethods())
            .Append(typeof(IWebhookAdmin).GetMethod(nameof(IWebhookAdmin.DeliveriesAsync))!)
            .ToList();
        var texts = reads
            .SelectMany(method => method.GetParameters().Select(p => (Where: $"{method.DeclaringType!.Name}.{method.Name}({p.Name})", p.ParameterType)))
            .Concat(new[] { typeof(AgreementCriteria), typeof(PartnerCriteria), typeof(DeliveryLogPage) }
                .SelectMany(t => t.GetProperties().Select(p => (Where: $"{t.Name}.{p.Name}", p.PropertyType))))
            .Where(x => x.Item2 == typeof(string))
            .Select(x => x.Where)
            .Except(NotRequestText)
            .ToList();

        Assert.True(reads.Count >= 8, $"found only {reads.Count} reads");
        Assert.Empty(texts);
    }

    /// <summary>The strings a read takes that no request sent: the history's resource type is the route's constant (<c>GetHistoryQuery.Partner</c>, <c>.Agreement</c>).</summary>
    private static readonly string[] NotRequestText = ["IChangeQueries.HistoryAsync(resourceType)"];

    /// <summary>A search text is normalised once per request: only <see cref="SearchTerm.Of"/> calls <see cref="Search.Normalize"/>.</summary>
    [Fact]
    public void SearchNormalize_WhenCompiled_ShouldBeCalledOnlyBySearchTerm()
    {
        var callers = new[] { Layers.Application, Layers.Infrastructure, Layers.Api }
            .SelectMany(assembly => assembly.GetTypes().Where(t => !t.IsNested))
            .SelectMany(t => CallsIn(t, called => called.DeclaringType == typeof(Search) && called.Name == nameof(Search.Normalize)))
            .ToList();

        Assert.Equal([$"{nameof(SearchTerm)}.{nameof(SearchTerm)}.{nameof(SearchTerm.Of)} → {nameof(Search)}.{nameof(Search.Normalize)}"], callers);
    }

    /// <summary>
    /// The partnerships page parses its filters itself, for its bilingual messages, into the values the query takes: it
    /// does not hand them to <see cref="ListAgreementsQuery.Parse"/> (or <see cref="WireParse"/>) to be parsed again.
    /// </summary>
    [Fact]
    public void PartnershipsPage_WhenCompiled_ShouldNotParseItsFiltersAgain()
    {
        var again = CallsIn(typeof(PartnershipsPage), IsEdgeParser);
        var own = ParsesIn(typeof(PartnershipsPage));

        Assert.Empty(again);
        Assert.Contains(own, p => p.EndsWith("→ Int32.TryParse", StringComparison.Ordinal)); // the year, parsed here once
    }

    /// <summary>The edge check sees the edge's parsers where they are called.</summary>
    [Fact]
    public void CallsIn_WhenATypeCallsAnEdgeParser_ShouldReportIt()
    {
        var calls = CallsIn(typeof(ParsesAgain), IsEdgeParser);

        Assert.Contains(calls, c => c.EndsWith("→ ListAgreementsQuery.Parse", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.EndsWith("→ SearchTerm.Of", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.EndsWith("→ DeliveryLogPage.Parse", StringComparison.Ordinal));
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

    /// <summary>The calls by <paramref name="type"/>'s code (its state machines and lambdas included) to the methods <paramref name="match"/> picks.</summary>
    private static List<string> CallsIn(Type type, Func<MethodBase, bool> match) =>
        [.. WithNested(type)
            .SelectMany(t => t.GetMethods(Everything).Cast<MethodBase>().Concat(t.GetConstructors(Everything)))
            .SelectMany(method => ApiUse.MembersNamedBy(method).OfType<MethodBase>().Where(match)
                .Select(called => $"{type.Name}.{method.DeclaringType!.Name}.{method.Name} → {called.DeclaringType!.Name}.{called.Name}"))];

    /// <summary>The edge's parsers: <see cref="WireParse"/>, <see cref="SearchTerm.Of"/>, and the <c>Parse</c> of a query, of a partner named in a path and of the delivery log's page.</summary>
    private static bool IsEdgeParser(MethodBase method) =>
        method.DeclaringType is { } declaring
        && (declaring == typeof(WireParse)
            || (declaring == typeof(SearchTerm) && method.Name == nameof(SearchTerm.Of))
            || (method.Name == "Parse" && (typeof(IMessage).IsAssignableFrom(declaring) || declaring == typeof(PartnerRef) || declaring == typeof(DeliveryLogPage))));

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

        public static async Task<object> EdgeAgainAsync(string q, string? before)
        {
            await Task.Yield();
            return (ListAgreementsQuery.Parse(new(Q: q)), SearchTerm.Of(q), DeliveryLogPage.Parse(before, null));
        }
    }
}
