using LinkJ.Api.Errors;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace LinkJ.Api.Http;

/// <summary>
/// Refuses query parameters an operation does not take (400 naming them, docs/decisions/0020). Each operation's list is
/// its own parameters as the API explorer sees them (the very list the OpenAPI document shows), plus <c>lang</c>, which
/// the language negotiation reads on every request. A parameter nobody reads would otherwise be silently ignored: a
/// misspelt filter answers the unfiltered list, and junk parameters make a new cache entry each.
/// </summary>
public sealed class QueryAllowList(IApiDescriptionGroupCollectionProvider descriptions)
{
    /// <summary>Read by the middleware, not bound by an endpoint.</summary>
    private static readonly string[] Everywhere = ["lang"];

    private readonly Lazy<IReadOnlyDictionary<string, HashSet<string>>> _byOperation = new(() =>
        descriptions.ApiDescriptionGroups.Items
            .SelectMany(group => group.Items)
            .Select(description => (
                Name: description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName,
                Parameters: description.ParameterDescriptions.Where(p => p.Source == BindingSource.Query).Select(p => p.Name)))
            .Where(operation => operation.Name is not null)
            .GroupBy(operation => operation.Name!, StringComparer.Ordinal)
            .ToDictionary(
                operation => operation.Key,
                // Binding matches names case-insensitively (?Country=JP filters), so the list does too.
                operation => operation.SelectMany(o => o.Parameters).Concat(Everywhere).ToHashSet(StringComparer.OrdinalIgnoreCase),
                StringComparer.Ordinal));

    /// <summary>The query parameters of the request that its operation does not take; empty when all are known.</summary>
    public IReadOnlyList<string> UnknownOf(HttpContext context)
    {
        if (context.Request.Query.Count == 0
            || context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is not { } name
            || !_byOperation.Value.TryGetValue(name, out var allowed))
        {
            return [];
        }

        foreach (var key in context.Request.Query.Keys)
        {
            if (!allowed.Contains(key))
            {
                return [.. context.Request.Query.Keys.Where(key => !allowed.Contains(key))];
            }
        }

        return []; // every parameter known: the common case, without a list per request
    }
}

public static class QueryAllowLists
{
    public static IServiceCollection AddQueryAllowList(this IServiceCollection services) => services.AddSingleton<QueryAllowList>();

    /// <summary>400 for an API request with a query parameter its operation does not take, before anything reads or caches it.</summary>
    public static IApplicationBuilder UseQueryAllowList(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            var unknown = context.RequestServices.GetRequiredService<QueryAllowList>().UnknownOf(context);
            if (unknown.Count > 0)
            {
                throw new ApiProblemException(StatusCodes.Status400BadRequest, ProblemCodes.UnknownQueryParameter,
                    $"This operation takes no query parameter named {string.Join(", ", unknown.Select(u => "'" + u + "'"))}; see its documentation.",
                    unknown.ToDictionary(u => u, _ => new[] { "Unknown parameter: this operation does not take it." }, StringComparer.Ordinal));
            }
        }

        return next(context);
    });
}
