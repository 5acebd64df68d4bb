using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Infrastructure.Contract;

namespace LinkJ.Api.IntegrationTests.Contract;

/// <summary>
/// If-Match is a documented header parameter wherever the service reads it (Swagger UI then shows a field to paste the
/// ETag into), shared by $ref, and `required` exactly as the service enforces it: a required one missing gets 428, an
/// optional one (the upserts by reference) may be left out to create.
/// </summary>
public sealed class IfMatchDocsTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task WritesToAnExistingResource_WhenSentWithoutIfMatch_ShouldAnswerAsTheDocumentedParameterSays()
    {
        var raw = await GetJsonAsync("/swagger/v1/swagger.json");
        var document = OpenApiRefs.Inline(raw);
        var key = await CreateKeyAsync("admin");
        var checkedOperations = new List<string>();
        var failures = new List<string>();
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                var name = $"{method.ToUpperInvariant()} {template}";
                var declared = raw["paths"]![template]![method]!["parameters"]?.AsArray()
                    .FirstOrDefault(p => p!["$ref"]?.GetValue<string>().StartsWith("#/components/parameters/IfMatch", StringComparison.Ordinal) == true);
                var ifMatch = (node!["parameters"]?.AsArray() ?? []).FirstOrDefault(p => p!["name"]!.GetValue<string>() == "If-Match");
                var precondition = node["responses"]!["428"] is not null;
                if (ifMatch is null && !precondition)
                {
                    continue;
                }

                if (ifMatch is null || declared is null || !precondition || ifMatch["in"]!.GetValue<string>() != "header")
                {
                    failures.Add($"{name}: documents 428: {precondition}, If-Match: {ifMatch?["in"]} (by $ref: {declared is not null})");
                    continue;
                }

                var required = ifMatch["required"]?.GetValue<bool>() == true;
                using var response = await Client.SendAsync(RequestWithoutIfMatch(method, template, node, key));
                var body = await response.Content.ReadAsStringAsync();
                var code = (int)response.StatusCode;
                if (required ? code != 428 || !body.Contains("\"precondition.required\"", StringComparison.Ordinal) : code is < 200 or > 299)
                {
                    failures.Add($"{name}: If-Match documented {(required ? "required" : "optional")}, without it → {code}: {body}");
                }

                checkedOperations.Add($"{name} ({(required ? "required" : "optional")})");
            }
        }

        Assert.Empty(failures);
        // The nine writes to an existing agreement or partner and the two to an agreement's documents need it; the two
        // upserts by reference take it optionally.
        Assert.Equal(11, checkedOperations.Count(o => o.EndsWith("(required)", StringComparison.Ordinal)));
        Assert.Equal(2, checkedOperations.Count(o => o.EndsWith("(optional)", StringComparison.Ordinal)));
    }

    private static HttpRequestMessage RequestWithoutIfMatch(string method, string template, JsonNode operation, string key)
    {
        var url = (operation["parameters"]?.AsArray() ?? []).Where(p => p!["in"]!.GetValue<string>() == "path")
            .Aggregate(template, (path, p) => path.Replace("{" + p!["name"]!.GetValue<string>() + "}",
                Uri.EscapeDataString(p["example"]!.GetValue<string>()), StringComparison.Ordinal));
        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        // A JSON body where there is one (a document's add also takes multipart/form-data).
        if (operation["requestBody"]?["content"]?.AsObject() is { } bodies
            && (bodies.Count == 1 ? bodies.Single() : bodies.Single(b => b.Key == "application/json")) is { } content)
        {
            request.Content = new StringContent(content.Value!["example"]!.ToJsonString());
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(content.Key);
        }

        return request;
    }
}
