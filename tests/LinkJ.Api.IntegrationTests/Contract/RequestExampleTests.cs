using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Infrastructure.Contract;

namespace LinkJ.Api.IntegrationTests.Contract;

/// <summary>
/// What Swagger UI's "Try it out" does: a developer authorizes, keeps the prefilled body, pastes the current ETag where
/// the write needs one, and presses Execute. On the seeded database that must succeed for every write.
/// </summary>
public sealed class RequestExampleTests(ApiFactory factory) : WriteTest(factory)
{
    [Theory]
    [InlineData("post", "/api/v1/partners")]
    [InlineData("put", "/api/v1/partners/{idOrSlug}")]
    [InlineData("patch", "/api/v1/partners/{idOrSlug}")]
    [InlineData("put", "/api/v1/partners/by-ref/{source}/{externalId}")]
    [InlineData("post", "/api/v1/agreements")]
    [InlineData("put", "/api/v1/agreements/{id}")]
    [InlineData("patch", "/api/v1/agreements/{id}")]
    [InlineData("put", "/api/v1/agreements/by-ref/{source}/{externalId}")]
    [InlineData("post", "/api/v1/agreements/{id}/terminate")]
    [InlineData("post", "/api/v1/agreements/{id}/renew")]
    public async Task Execute_WhenSentWithTheDocumentedExampleBody_ShouldSucceed(string method, string template)
    {
        var document = OpenApiRefs.Inline(await GetJsonAsync("/swagger/v1/swagger.json"));
        var operation = document["paths"]![template]![method]!;
        var (mediaType, media) = operation["requestBody"]!["content"]!.AsObject().Single();
        var example = media!["example"] ?? throw new Xunit.Sdk.XunitException($"{method} {template} has no request example");
        var parameters = (operation["parameters"]?.AsArray() ?? []).Where(p => p!["in"]!.GetValue<string>() == "path")
            .ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["example"]!.GetValue<string>());
        var url = parameters.Aggregate(template, (path, p) => path.Replace("{" + p.Key + "}", Uri.EscapeDataString(p.Value), StringComparison.Ordinal));
        var key = await CreateKeyAsync("admin");
        string? etag = null;
        if (template.Contains("{id", StringComparison.Ordinal))
        {
            using var current = await Client.GetAsync(url.Replace("/terminate", string.Empty, StringComparison.Ordinal).Replace("/renew", string.Empty, StringComparison.Ordinal));
            etag = current.Headers.ETag?.Tag;
        }

        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url)
        {
            Content = new StringContent(example.ToJsonString()),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        using var response = await Client.SendAsync(request);

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created,
            $"{method} {url} with the example body → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
