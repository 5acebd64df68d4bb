using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>Write tests that create partners, send raw JSON (merge patches, invalid bodies) or check a status and read the answer.</summary>
public abstract class PartnerWriteTest(ApiFactory factory) : WriteTest(factory)
{
    protected const string MergePatchJson = "application/merge-patch+json";

    /// <summary>A valid new partner with every optional field filled in, so that a round trip covers them all.</summary>
    protected static object NewPartner(string slug = "kanagawa-prefecture", string nameJa = "神奈川県", string? shortName = "KPG") => new
    {
        slug,
        name = new { ja = nameJa, en = "Kanagawa Prefecture" },
        shortName,
        kind = "local-government",
        country = "JP",
        region = new { ja = "首都圏", en = "Greater Tokyo" },
        website = "https://www.pref.kanagawa.jp/",
        formerNames = new[] { new { name = new { ja = "旧神奈川", en = "Old Kanagawa" }, until = "2001-04" } },
    };

    /// <summary>A request with a body sent as is, in the given media type.</summary>
    protected static HttpRequestMessage RawRequest(HttpMethod method, string url, string? key, string body, string? ifMatch = null, string mediaType = "application/json")
    {
        var request = Request(method, url, key, body: null, ifMatch);
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return request;
    }

    /// <summary>A JSON Merge Patch request.</summary>
    protected static HttpRequestMessage PatchRequest(string url, string? key, string patch, string? ifMatch) =>
        RawRequest(HttpMethod.Patch, url, key, patch, ifMatch, MergePatchJson);

    /// <summary>Sends the request, asserts the status and returns the body, ETag and Location.</summary>
    protected async Task<SentResponse> SendAsync(HttpRequestMessage request, HttpStatusCode expected)
    {
        using (request)
        {
            using var response = await Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected,
                $"{request.Method} {request.RequestUri} → {(int)response.StatusCode}, expected {(int)expected}: {body}");
            return new SentResponse(body.Length == 0 ? null : JsonNode.Parse(body), response.Headers.ETag?.Tag, response.Headers.Location?.ToString());
        }
    }

    /// <summary>Creates a partner (201 asserted) and returns the answer.</summary>
    protected Task<SentResponse> CreatePartnerAsync(string key, object? partner = null) =>
        SendAsync(Request(HttpMethod.Post, "/api/v1/partners", key, partner ?? NewPartner()), HttpStatusCode.Created);

    /// <summary>
    /// Sends <paramref name="count"/> requests at once and makes their inserts into <paramref name="table"/> truly race:
    /// a SHARE lock on the table (which lets reads through) holds every insert back until all requests wait for it
    /// (asserted: <see cref="WriteTest.RaceAsync{T}"/>), then they all insert together and the database's unique indexes
    /// decide who wins.
    /// </summary>
    protected Task<T[]> RaceInsertsAsync<T>(string table, int count, Func<Task<T>> request)
    {
        var relation = table switch
        {
            "partners" => "partners",
            "agreements" => "agreements",
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, "partners or agreements"),
        };
        return RaceAsync("LOCK TABLE " + relation + " IN SHARE MODE", count, [.. Enumerable.Repeat(request, count)]);
    }

    /// <summary>The resource's history, oldest first.</summary>
    protected async Task<JsonArray> HistoryAsync(string url) => (await GetSyncJsonAsync(url + "/history")).AsArray();

    /// <summary>Every change of the feed, in commit order.</summary>
    protected async Task<JsonArray> FeedAsync() => (await GetSyncJsonAsync("/api/v1/changes?limit=1000"))["items"]!.AsArray();
}

/// <summary>What a test reads from a response it has already checked the status of.</summary>
/// <param name="Body">The JSON body, if any.</param>
/// <param name="ETag">The ETag header, if any.</param>
/// <param name="Location">The Location header, if any.</param>
public sealed record SentResponse(JsonNode? Body, string? ETag, string? Location);
