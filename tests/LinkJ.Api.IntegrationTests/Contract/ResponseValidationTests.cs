using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Infrastructure.Contract;

namespace LinkJ.Api.IntegrationTests.Contract;

/// <summary>
/// The check that holds every response of the suite against the OpenAPI document (<see cref="ContractValidatingHandler"/>)
/// must itself be able to fail: a document that lies about a real response is caught, and the request that got it fails.
/// </summary>
public sealed class ResponseValidationTests(ApiFactory factory) : ApiTest(factory)
{
    private const string OsakaAgreements = "/api/v1/partners/" + Seeded.Osaka + "/agreements";

    [Fact]
    public async Task Check_WhenTheDocumentIsTheServedOne_ShouldFindNothingWrongWithARealResponse()
    {
        var contract = await Factory.ContractAsync();
        var (status, mediaType, headers, body) = await RawGetAsync("/api/v1/agreements?limit=2");

        var violations = contract.Check("GET", "/api/v1/agreements", status, mediaType, headers, body);

        Assert.NotNull(violations);
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Check_WhenTheDocumentSaysExternalRefIsNeverNull_ShouldReportTheNullTheServiceSends()
    {
        var document = await ServedDocumentAsync();
        // The lie the document used to tell: externalRef is an object, never null.
        document["components"]!["schemas"]!["ExternalReference"]!.AsObject().Remove("nullable");
        document["components"]!["schemas"]!["Agreement"]!["properties"]!["externalRef"] =
            new JsonObject { ["$ref"] = "#/components/schemas/ExternalReference" };
        var lying = new OpenApiContract(document.ToJsonString());
        var (status, mediaType, headers, body) = await RawGetAsync(OsakaAgreements);

        var violations = lying.Check("GET", OsakaAgreements, status, mediaType, headers, body);

        var violation = Assert.Single(violations!);
        Assert.Contains("/items/0/externalRef", violation);
        Assert.Contains("null", violation);
    }

    [Fact]
    public async Task Check_WhenTheStatusIsNotDocumented_ShouldReportIt()
    {
        var document = await ServedDocumentAsync();
        document["paths"]!["/api/v1/agreements/{id}"]!["get"]!["responses"]!.AsObject().Remove("404");
        var lying = new OpenApiContract(document.ToJsonString());
        var path = "/api/v1/agreements/" + Guid.NewGuid();
        var (status, mediaType, headers, body) = await RawGetAsync(path);

        var violations = lying.Check("GET", path, status, mediaType, headers, body);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("status 404 is not documented", Assert.Single(violations!));
    }

    [Fact]
    public async Task Check_WhenTheMediaTypeIsNotDocumented_ShouldReportIt()
    {
        var document = await ServedDocumentAsync();
        var ok = document["paths"]!["/api/v1/cooperation-scopes"]!["get"]!["responses"]!["200"]!.AsObject();
        var content = ok["content"]!.AsObject();
        var json = content["application/json"]!.DeepClone();
        content.Clear();
        content["application/xml"] = json;
        var lying = new OpenApiContract(document.ToJsonString());
        var (status, mediaType, headers, body) = await RawGetAsync("/api/v1/cooperation-scopes");

        var violations = lying.Check("GET", "/api/v1/cooperation-scopes", status, mediaType, headers, body);

        Assert.Contains("media type application/json is not documented", Assert.Single(violations!));
    }

    [Fact]
    public async Task Check_WhenARequiredHeaderIsNotSent_ShouldReportIt()
    {
        var document = await ServedDocumentAsync();
        var ok = document["paths"]!["/api/v1/stats"]!["get"]!["responses"]!["200"]!.AsObject();
        ok["headers"]!["X-Never-Sent"] = new JsonObject { ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } };
        var lying = new OpenApiContract(document.ToJsonString());
        var (status, mediaType, headers, body) = await RawGetAsync("/api/v1/stats");

        var violations = lying.Check("GET", "/api/v1/stats", status, mediaType, headers, body);

        Assert.Contains("the required header X-Never-Sent is missing", Assert.Single(violations!));
    }

    [Fact]
    public async Task Check_WhenTheDocumentDoesNotListAVaryItSends_ShouldReportIt()
    {
        var document = await ServedDocumentAsync();
        // The gap ADR 0040 left until its amendment: Vary and Content-Language sent on reads, not listed.
        var headers = document["paths"]!["/api/v1/stats"]!["get"]!["responses"]!["200"]!["headers"]!.AsObject();
        headers.Remove("Vary");
        headers.Remove("Content-Language");
        var lying = new OpenApiContract(document.ToJsonString());
        var (status, mediaType, sent, body) = await RawGetAsync("/api/v1/stats");

        var violations = lying.Check("GET", "/api/v1/stats", status, mediaType, sent, body);

        Assert.Equal(
            ["GET /api/v1/stats (/api/v1/stats) → 200: the header Vary is sent but not documented for this response",
             "GET /api/v1/stats (/api/v1/stats) → 200: the header Content-Language is sent but not documented for this response"],
            violations);
    }

    [Fact]
    public async Task Check_WhenAReadIsAnswered_ShouldFindTheVaryAndContentLanguageTheDocumentRequires()
    {
        var contract = await Factory.ContractAsync();
        var (status, mediaType, sent, body) = await RawGetAsync("/api/v1/stats");
        var withoutThem = sent.Where(h => h is not ("Vary" or "Content-Language")).ToList();

        var violations = contract.Check("GET", "/api/v1/stats", status, mediaType, withoutThem, body);

        Assert.Contains("Vary", sent);
        Assert.Contains("Content-Language", sent);
        Assert.Equal(
            ["GET /api/v1/stats (/api/v1/stats) → 200: the required header Vary is missing",
             "GET /api/v1/stats (/api/v1/stats) → 200: the required header Content-Language is missing"],
            violations);
    }

    [Fact]
    public async Task Get_WhenTheResourceIsMissing_ShouldSendTheProblemsHeadersTheDocumentLists()
    {
        using var raw = Factory.Server.CreateClient();

        using var response = await raw.GetAsync("/api/v1/agreements/" + Guid.NewGuid());

        // What ContractShaper.DocumentNegotiationHeaders lists on a problem: Vary and the exception handler's
        // Cache-Control; no Content-Language (a problem's texts are English).
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Accept-Language", response.Headers.Vary);
        Assert.True(response.Headers.CacheControl?.NoStore, response.Headers.CacheControl?.ToString());
        Assert.Empty(response.Content.Headers.ContentLanguage);
    }

    [Fact]
    public async Task Check_WhenAProxyAnswers502_ShouldReportTheUndocumentedStatus()
    {
        var contract = await Factory.ContractAsync();

        var violations = contract.Check("GET", "/api/v1/stats", HttpStatusCode.BadGateway, "text/html", ["Content-Type"], "<html>Bad Gateway</html>"u8.ToArray());

        Assert.Contains("status 502 is not documented", Assert.Single(violations!));
    }

    [Fact]
    public async Task SendAsync_WhenTheResponseBreaksTheDocument_ShouldFailTheRequestThatGotIt()
    {
        var document = await ServedDocumentAsync();
        document["components"]!["schemas"]!["CooperationScope"]!["required"]!.AsArray().Add("notSentByTheService");
        var lying = new OpenApiContract(document.ToJsonString());
        using var client = new HttpClient(new ContractValidatingHandler(_ => Task.FromResult(lying), counted: false) { InnerHandler = Factory.Server.CreateHandler() })
        {
            BaseAddress = new Uri("http://localhost"),
        };

        var failure = await Assert.ThrowsAsync<ContractViolationException>(() => client.GetAsync("/api/v1/cooperation-scopes"));

        Assert.Contains("notSentByTheService", failure.Message);
        Assert.Contains("GET /api/v1/cooperation-scopes", failure.Message);
    }

    private async Task<JsonNode> ServedDocumentAsync()
    {
        using var raw = Factory.Server.CreateClient();
        return JsonNode.Parse(await raw.GetStringAsync("/swagger/v1/swagger.json"))!;
    }

    /// <summary>A GET outside the checking client, so the test sees the response whatever the document says.</summary>
    private async Task<(HttpStatusCode Status, string? MediaType, IReadOnlyCollection<string> Headers, byte[] Body)> RawGetAsync(string path)
    {
        using var raw = Factory.Server.CreateClient();
        raw.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await raw.GetAsync(path);
        var headers = response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key)).ToList();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, headers, await response.Content.ReadAsByteArrayAsync());
    }
}
