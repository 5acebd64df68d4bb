using LinkJ.Application.Common.Paging;
using Microsoft.AspNetCore.WebUtilities;

namespace LinkJ.Api.Http;

public static class PagingHeaders
{
    /// <summary>Adds <c>Link: &lt;...&gt;; rel="next"</c> (RFC 8288) when there is a next page: the same query with the next cursor.</summary>
    public static void AddNextLink<T>(this HttpContext http, Page<T> page)
    {
        if (page.Next is null)
        {
            return;
        }

        var query = http.Request.Query
            .Where(q => !string.Equals(q.Key, "cursor", StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new KeyValuePair<string, string?>("cursor", page.Next));
        var url = QueryHelpers.AddQueryString(http.Request.PathBase + http.Request.Path, query);
        http.Response.Headers.Append("Link", $"<{url}>; rel=\"next\"");
    }
}
