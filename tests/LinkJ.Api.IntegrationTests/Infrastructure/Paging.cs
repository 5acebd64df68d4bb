using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>Helpers for the cursor-paged lists: the RFC 8288 <c>Link</c> header and damaged cursors.</summary>
public static partial class Paging
{
    /// <summary>The target of the <c>Link: &lt;...&gt;; rel="next"</c> header, or null when there is none.</summary>
    public static string? NextLink(this HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        var links = values.SelectMany(v => v.Split(',')).Select(v => NextLinkPattern().Match(v.Trim())).Where(m => m.Success).ToList();
        return Assert.Single(links).Groups[1].Value;
    }

    /// <summary>The query of a URL (relative or absolute) by parameter name.</summary>
    public static Dictionary<string, Microsoft.Extensions.Primitives.StringValues> QueryOf(string url)
    {
        var question = url.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? [] : QueryHelpers.ParseQuery(url[question..]);
    }

    /// <summary>The cursor with the character at <paramref name="index"/> replaced by another base64url character.</summary>
    public static string Flip(string cursor, int index)
    {
        var index0 = index < 0 ? cursor.Length + index : index;
        var replacement = cursor[index0] == 'A' ? 'B' : 'A';
        return string.Concat(cursor.AsSpan(0, index0), replacement.ToString(), cursor.AsSpan(index0 + 1));
    }

    /// <summary>The items of every page, following <c>next</c> from <paramref name="firstUrl"/>; also the pages' sizes.</summary>
    public static async Task<(List<JsonNode> Items, List<int> PageSizes)> WalkAsync(Func<string, Task<JsonNode>> get, string firstUrl, int maxPages = 20)
    {
        var items = new List<JsonNode>();
        var sizes = new List<int>();
        var url = firstUrl;
        var separator = firstUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        for (var pageNumber = 0; pageNumber < maxPages; pageNumber++)
        {
            var page = await get(url);
            items.AddRange(page.Items().Select(i => i!));
            sizes.Add(page.Items().Count);
            if (page.Next() is not { } next)
            {
                return (items, sizes);
            }

            url = $"{firstUrl}{separator}cursor={Uri.EscapeDataString(next)}";
        }

        Assert.Fail($"{firstUrl} still had a next page after {maxPages} pages");
        return (items, sizes);
    }

    [GeneratedRegex("^<([^>]*)>\\s*;\\s*rel=\"next\"$", RegexOptions.CultureInvariant)]
    private static partial Regex NextLinkPattern();
}
