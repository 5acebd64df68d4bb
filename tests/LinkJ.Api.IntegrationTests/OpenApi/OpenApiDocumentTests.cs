using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Infrastructure.Contract;

namespace LinkJ.Api.IntegrationTests.OpenApi;

/// <summary>
/// /swagger/v1/swagger.json: a valid OpenAPI 3 document in which every /api/v1 operation is explained, has an example
/// and declares the problems it can answer with; and the Swagger UI that shows it.
/// </summary>
public sealed partial class OpenApiDocumentTests(ApiFactory factory) : ApiTest(factory)
{
    private const string DocumentUrl = "/swagger/v1/swagger.json";
    private const string ProblemJson = "application/problem+json";

    /// <summary>Every operation the API offers; the document must list exactly these.</summary>
    private static readonly string[] ExpectedOperations =
    [
        "DELETE /api/v1/agreements/{id}",
        "DELETE /api/v1/agreements/{id}/documents/{documentId}",
        "DELETE /api/v1/partners/{idOrSlug}",
        "DELETE /api/v1/webhooks/{id}",
        "GET /api/v1/agreements",
        "GET /api/v1/agreements/calendar.ics",
        "GET /api/v1/agreements/export.csv",
        "GET /api/v1/agreements/feed.atom",
        "GET /api/v1/agreements/{id}",
        "GET /api/v1/agreements/{id}/documents",
        "GET /api/v1/agreements/{id}/documents/{documentId}",
        "GET /api/v1/agreements/{id}/documents/{documentId}/content",
        "GET /api/v1/agreements/{id}/history",
        "GET /api/v1/changes",
        "GET /api/v1/cooperation-scopes",
        "GET /api/v1/partners",
        "GET /api/v1/partners/export.csv",
        "GET /api/v1/partners/{idOrSlug}",
        "GET /api/v1/partners/{idOrSlug}/agreements",
        "GET /api/v1/partners/{idOrSlug}/history",
        "GET /api/v1/stats",
        "GET /api/v1/webhooks",
        "GET /api/v1/webhooks/{id}",
        "GET /api/v1/webhooks/{id}/deliveries",
        "PATCH /api/v1/agreements/{id}",
        "PATCH /api/v1/partners/{idOrSlug}",
        "PATCH /api/v1/webhooks/{id}",
        "POST /api/v1/agreements",
        "POST /api/v1/agreements/import",
        "POST /api/v1/agreements/{id}/activate",
        "POST /api/v1/agreements/{id}/documents",
        "POST /api/v1/agreements/{id}/renew",
        "POST /api/v1/agreements/{id}/terminate",
        "POST /api/v1/partners",
        "POST /api/v1/partners/import",
        "POST /api/v1/webhooks",
        "POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
        "POST /api/v1/webhooks/{id}/ping",
        "POST /api/v1/webhooks/{id}/rotate-secret",
        "PUT /api/v1/agreements/by-ref/{source}/{externalId}",
        "PUT /api/v1/agreements/{id}",
        "PUT /api/v1/partners/by-ref/{source}/{externalId}",
        "PUT /api/v1/partners/{idOrSlug}",
    ];

    [Fact]
    public async Task SwaggerJson_WhenRequested_ShouldBeAValidOpenApi3JsonDocument()
    {
        using var response = await Client.GetAsync(DocumentUrl);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body); // throws on invalid JSON
        var document = JsonNode.Parse(body)!;
        Assert.Matches(OpenApi3Version(), document["openapi"]!.GetValue<string>());
        Assert.Equal("LinkJ.Api", document["info"]!["title"]!.GetValue<string>());
        Assert.Equal("v1", document["info"]!["version"]!.GetValue<string>());
        Assert.NotEmpty(document["paths"]!.AsObject());
    }

    [Fact]
    public async Task SwaggerJson_WhenRequested_ShouldListExactlyTheApisOperations()
    {
        var operations = await OperationsAsync();

        Assert.Equal(ExpectedOperations, operations.Select(o => o.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SwaggerJson_WhenRequested_ShouldGiveEveryOperationASummaryADescriptionAndAnOperationId()
    {
        var failures = new List<string>();
        foreach (var operation in await OperationsAsync())
        {
            foreach (var field in new[] { "summary", "description", "operationId" })
            {
                if (string.IsNullOrWhiteSpace(operation.Node[field]?.GetValue<string>()))
                {
                    failures.Add($"{operation.Name} has no {field}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task SwaggerJson_WhenRequested_ShouldGiveEveryOperationA200JsonResponseWithAnExample()
    {
        var operations = await OperationsAsync();
        var failures = new List<string>();
        foreach (var operation in operations)
        {
            if (operation.Node["responses"]?["204"] is not null)
            {
                continue; // no body, nothing to exemplify
            }

            if (operation.Node["responses"]?["200"]?["content"]?["application/atom+xml"] is not null)
            {
                continue; // an XML feed, documented by its media type
            }

            if (operation.Node["responses"]?["200"]?["content"]?["text/csv"] is { } csv)
            {
                if (csv["example"] is null)
                {
                    failures.Add($"{operation.Name} has no example for its CSV");
                }

                continue;
            }

            if (operation.Node["responses"]?["200"]?["content"]?["text/calendar"] is { } calendar)
            {
                if (calendar["example"]?.GetValue<string>().StartsWith("BEGIN:VCALENDAR", StringComparison.Ordinal) != true)
                {
                    failures.Add($"{operation.Name} has no iCalendar example");
                }

                continue;
            }

            if (operation.Name.EndsWith("/content", StringComparison.Ordinal))
            {
                continue; // a document's bytes (application/pdf, image/*), documented as binary
            }

            var ok = operation.Node["responses"]?["200"]?["content"]?["application/json"]
                ?? operation.Node["responses"]?["201"]?["content"]?["application/json"]
                ?? operation.Node["responses"]?["202"]?["content"]?["application/json"];
            if (ok is null)
            {
                failures.Add($"{operation.Name} has no 200/201/202 application/json response");
            }
            else if (ok["example"] is null)
            {
                failures.Add($"{operation.Name} has no example for its 200 response");
            }
        }

        Assert.Equal(ExpectedOperations.Length, operations.Count);
        Assert.Empty(failures);
    }

    /// <summary>400 where the operation reads query parameters, 404 where its route names a resource, 500 everywhere.</summary>
    [Fact]
    public async Task SwaggerJson_WhenRequested_ShouldDeclareEachOperationsProblemResponsesAsProblemJson()
    {
        var operations = await OperationsAsync();
        var failures = new List<string>();
        foreach (var operation in operations)
        {
            // 500 and 503 each with its own example (ADR 0040, amended).
            foreach (var status in new[] { 500, 503 })
            {
                var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (operation.Node["responses"]?[key]?["content"]?[ProblemJson]?["example"]?["status"]?.GetValue<int>() != status)
                {
                    failures.Add($"{operation.Name} does not declare {status} as {ProblemJson} with its example");
                }
            }

            var expected = new List<string>();
            if (operation.Parameters.Any(p => p["in"]?.GetValue<string>() == "query"))
            {
                expected.Add("400");
            }

            if (operation.Path.Contains("{id}", StringComparison.Ordinal) || operation.Path.Contains("{idOrSlug}", StringComparison.Ordinal))
            {
                expected.Add("404");
            }

            foreach (var status in expected)
            {
                var content = operation.Node["responses"]?[status]?["content"]?.AsObject();
                if (content is null || !content.ContainsKey(ProblemJson))
                {
                    failures.Add($"{operation.Name} does not declare {status} as {ProblemJson}");
                }
                else if (content[ProblemJson]!["example"]?["status"]?.GetValue<int>() != int.Parse(status, System.Globalization.CultureInfo.InvariantCulture))
                {
                    failures.Add($"{operation.Name}: the example of its {status} response is not a problem with status {status}");
                }
            }
        }

        Assert.Equal(ExpectedOperations.Length, operations.Count);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task SwaggerJson_WhenAnOperationHasQueryParameters_ShouldReferenceTheProblemSchemaFor400()
    {
        var listAgreements = (await OperationsAsync()).Single(o => o.Name == "GET /api/v1/agreements");

        var schema = listAgreements.Node["responses"]!["400"]!["content"]![ProblemJson]!["schema"]!["$ref"]!.GetValue<string>();

        Assert.EndsWith("/Problem", schema);
    }

    /// <summary>
    /// A 404 example shows what the operation really answers: partner.not-found on the partner routes,
    /// agreement.not-found on the agreement route.
    /// </summary>
    [Theory]
    [InlineData("GET /api/v1/agreements/{id}", "agreement.not-found")]
    [InlineData("GET /api/v1/partners/{idOrSlug}", "partner.not-found")]
    [InlineData("GET /api/v1/partners/{idOrSlug}/agreements", "partner.not-found")]
    public async Task SwaggerJson_WhenAnOperationCanAnswer404_ShouldExampleTheProblemCodeItReallyReturns(string name, string code)
    {
        var operation = (await OperationsAsync()).Single(o => o.Name == name);

        var example = operation.Node["responses"]!["404"]!["content"]![ProblemJson]!["example"]!;

        Assert.Equal(code, example["code"]!.GetValue<string>());
        Assert.Equal("urn:linkj:problem:" + code, example["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task SwaggerJson_WhenRequested_ShouldDescribeEveryParameter()
    {
        var operations = await OperationsAsync();
        var parameters = operations.SelectMany(o => o.Parameters.Select(p => (o.Name, Parameter: p))).ToList();

        Assert.NotEmpty(parameters);
        Assert.All(parameters, p => Assert.False(
            string.IsNullOrWhiteSpace(p.Parameter["description"]?.GetValue<string>()),
            $"{p.Name}: parameter {p.Parameter["name"]} has no description"));
    }

    [Fact]
    public async Task SwaggerJson_WhenRequested_ShouldBoundTheLimitParameterFrom1To100()
    {
        var operations = await OperationsAsync();
        var limits = operations.Where(o => o.Path != "/api/v1/changes" && !o.Path.StartsWith("/api/v1/webhooks", StringComparison.Ordinal))
            .SelectMany(o => o.Parameters).Where(p => p["name"]!.GetValue<string>() == "limit").ToList();
        var feedLimit = operations.Single(o => o.Path == "/api/v1/changes").Parameters.Single(p => p["name"]!.GetValue<string>() == "limit");
        var deliveryLimit = operations.Single(o => o.Path == "/api/v1/webhooks/{id}/deliveries").Parameters.Single(p => p["name"]!.GetValue<string>() == "limit");

        Assert.Equal(1000, feedLimit["schema"]!["maximum"]!.GetValue<int>());
        Assert.Equal(200, deliveryLimit["schema"]!["maximum"]!.GetValue<int>());
        Assert.Equal(3, limits.Count);
        Assert.All(limits, limit =>
        {
            Assert.Equal(1, limit["schema"]!["minimum"]!.GetValue<int>());
            Assert.Equal(100, limit["schema"]!["maximum"]!.GetValue<int>());
        });
    }

    [Fact]
    public async Task SwaggerJson_WhenRequested_ShouldWriteEverySchemaEnumAsKebabCaseStrings()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!.AsObject();
        var enums = schemas.Where(s => s.Value!["enum"] is not null).ToList();

        Assert.Contains("local-government", enums.Single(e => e.Key == "PartnerKind").Value!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(
            ["draft", "active", "expired", "terminated"],
            enums.Single(e => e.Key == "AgreementStatus").Value!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.All(enums, schema =>
        {
            Assert.Equal("string", schema.Value!["type"]?.GetValue<string>());
            Assert.All(schema.Value!["enum"]!.AsArray(), value =>
            {
                Assert.Equal(JsonValueKind.String, value!.GetValueKind());
                Assert.Matches(KebabCase(), value.GetValue<string>());
            });
        });
    }

    [Theory]
    [InlineData("kind", "local-government")]
    [InlineData("partnerKind", "local-government")]
    [InlineData("status", "expired")]
    public async Task SwaggerJson_WhenAParameterTakesAnEnum_ShouldListItsKebabCaseValues(string name, string value)
    {
        var parameters = (await OperationsAsync()).SelectMany(o => o.Parameters).Where(p => p["name"]!.GetValue<string>() == name).ToList();
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;
        // Inline, or the schema whose values it takes (PartnerKind, AgreementStatus).
        JsonNode SchemaOf(JsonNode parameter) =>
            parameter["schema"]!["$ref"]?.GetValue<string>() is { } reference ? schemas[reference.Split('/')[^1]]! : parameter["schema"]!;

        Assert.NotEmpty(parameters);
        Assert.All(parameters, p => Assert.Contains(value, SchemaOf(p)["enum"]!.AsArray().Select(v => v!.GetValue<string>())));
    }

    /// <summary>The examples are serialized like real responses: enums as kebab-case strings, camelCase names.</summary>
    [Fact]
    public async Task SwaggerJson_WhenRequested_ShouldSerializeTheAgreementExampleAsTheApiDoes()
    {
        var getAgreement = (await OperationsAsync()).Single(o => o.Name == "GET /api/v1/agreements/{id}");

        var example = getAgreement.Node["responses"]!["200"]!["content"]!["application/json"]!["example"]!;

        Assert.Equal("local-government", example["partner"]!["kind"]!.GetValue<string>());
        Assert.Equal("osaka-prefecture", example["partner"]!["slug"]!.GetValue<string>());
        Assert.Equal("mou", example["type"]!.GetValue<string>());
        Assert.Equal("active", example["status"]!.GetValue<string>());
        Assert.Equal("2020-09-07", example["signedOn"]!.GetValue<string>());
        Assert.Equal(13, example["ordinal"]!["overall"]!.GetValue<int>());
    }

    [Fact]
    public async Task SwaggerUi_WhenRequested_ShouldReturn200Html()
    {
        using var response = await Client.GetAsync("/swagger/index.html");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger-ui", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SwaggerJson_WhenRequested_ShouldDocumentTheHeadersClientsRelyOn()
    {
        var failures = new List<string>();
        foreach (var operation in await OperationsAsync())
        {
            var responses = operation.Node["responses"]!.AsObject();
            var tooMany = responses["429"];
            if (tooMany?["headers"]?["Retry-After"] is null || tooMany["content"]?["application/problem+json"] is null)
            {
                failures.Add($"{operation.Name} does not document 429 with Retry-After");
            }

            var unavailable = responses["503"];
            if (unavailable?["headers"]?["Retry-After"] is null || unavailable["content"]?["application/problem+json"] is null)
            {
                failures.Add($"{operation.Name} does not document 503 with Retry-After");
            }

            // Webhook subscriptions are configuration, not versioned records: no ETag (ADR 0035).
            // RateLimit-Policy goes with RateLimit everywhere; the document says so there and lists it on the 429 (ADR 0040).
            var expected = operation.Path.StartsWith("/api/v1/webhooks", StringComparison.Ordinal) ? ["RateLimit"] : new[] { "ETag", "RateLimit" };
            if (tooMany?["headers"]?["RateLimit-Policy"] is null)
            {
                failures.Add($"{operation.Name} does not document RateLimit-Policy on its 429");
            }

            foreach (var (status, response) in responses.Where(r => r.Key.StartsWith('2') && r.Key != "204"))
            {
                foreach (var header in expected)
                {
                    if (response!["headers"]?[header] is null)
                    {
                        failures.Add($"{operation.Name} {status} does not document {header}");
                    }
                }
            }
        }

        var list = (await OperationsAsync()).Single(o => o.Name == "GET /api/v1/agreements");
        Assert.NotNull(list.Node["responses"]!["200"]!["headers"]!["Link"]);
        Assert.NotNull(list.Node["responses"]!["200"]!["headers"]!["Cache-Control"]);
        Assert.Empty(failures);
    }

    private async Task<JsonNode> DocumentAsync() => OpenApiRefs.Inline(await GetJsonAsync(DocumentUrl));

    private async Task<List<Operation>> OperationsAsync()
    {
        var document = await DocumentAsync();
        var operations = new List<Operation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (!path.StartsWith("/api/v1", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (method, node) in item!.AsObject())
            {
                if (method is "parameters" or "summary" or "description" or "servers")
                {
                    continue;
                }

                var parameters = (node!["parameters"]?.AsArray() ?? []).Select(p => p!).ToList();
                operations.Add(new Operation($"{method.ToUpperInvariant()} {path}", path, node, parameters));
            }
        }

        return operations;
    }

    private sealed record Operation(string Name, string Path, JsonNode Node, IReadOnlyList<JsonNode> Parameters);

    [GeneratedRegex("^3\\.\\d+\\.\\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex OpenApi3Version();

    /// <summary>kebab-case; event types are dotted kebab-case words (agreement.created).</summary>
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex KebabCase();
}
