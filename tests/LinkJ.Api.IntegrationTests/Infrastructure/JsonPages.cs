using System.Text.Json.Nodes;

namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>Reading the lists the API returns: <c>{ "items": [...], "next": "..." | null }</c>.</summary>
public static class JsonPages
{
    public static JsonArray Items(this JsonNode page) => page["items"]!.AsArray();

    /// <summary>The <c>next</c> cursor, or null on the last page.</summary>
    public static string? Next(this JsonNode page) => page["next"]?.GetValue<string>();

    /// <summary>The partner slugs of a page of agreements, in order.</summary>
    public static List<string> AgreementPartnerSlugs(this JsonNode page) =>
        [.. page.Items().Select(a => a!["partner"]!["slug"]!.GetValue<string>())];

    /// <summary>The slugs of a page of partners, in order.</summary>
    public static List<string> PartnerSlugs(this JsonNode page) =>
        [.. page.Items().Select(p => p!["slug"]!.GetValue<string>())];

    /// <summary>The field names of a problem's <c>errors</c>, sorted.</summary>
    public static List<string> ErrorFields(this JsonObject problem) =>
        [.. (problem["errors"]?.AsObject() ?? []).Select(e => e.Key).Order(StringComparer.Ordinal)];
}
