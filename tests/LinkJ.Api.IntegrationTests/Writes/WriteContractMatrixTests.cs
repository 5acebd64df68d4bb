using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>
/// The contract every write keeps, checked on every write the service has — the list is read from the app's own route
/// table, so a new write without a row here fails <see cref="WriteRoutes_WhenReadFromTheRouteTable_ShouldEachHaveAMatrixRow"/>.
/// Each row is first sent as it should be (and must succeed), then with one thing wrong: no key → 401, a key without
/// the scope → 403, an unknown id → 404, no If-Match → 428, a stale If-Match → 412; and after each refusal no table
/// changed (<see cref="DatabaseSnapshot"/>). The scope each row needs is written here, not read from the endpoint, so a
/// dropped <c>RequireAuthorization</c> fails instead of being followed.
/// </summary>
public sealed class WriteContractMatrixTests(ApiFactory factory) : WriteTest(factory)
{
    private const string Agreements = "agreements:write";
    private const string Partners = "partners:write";

    /// <summary>The rows: method and route as the route table spells them, the scope needed, and whether the write changes an existing resource (If-Match).</summary>
    private static readonly Row[] Rows =
    [
        new("POST", "/api/v1/agreements", Agreements, Existing: false, HasIdInPath: false),
        new("PUT", "/api/v1/agreements/{id}", Agreements, Existing: true, HasIdInPath: true),
        new("PATCH", "/api/v1/agreements/{id}", Agreements, Existing: true, HasIdInPath: true),
        new("PUT", "/api/v1/agreements/by-ref/{source}/{externalId}", Agreements, Existing: true, HasIdInPath: false),
        new("DELETE", "/api/v1/agreements/{id}", Agreements, Existing: true, HasIdInPath: true),
        new("POST", "/api/v1/agreements/{id}/activate", Agreements, Existing: true, HasIdInPath: true),
        new("POST", "/api/v1/agreements/{id}/terminate", Agreements, Existing: true, HasIdInPath: true),
        new("POST", "/api/v1/agreements/{id}/renew", Agreements, Existing: true, HasIdInPath: true),
        // Documents are part of their agreement: If-Match on the agreement (ADR 0038).
        new("POST", "/api/v1/agreements/{id}/documents", Agreements, Existing: true, HasIdInPath: true),
        new("DELETE", "/api/v1/agreements/{id}/documents/{documentId}", Agreements, Existing: true, HasIdInPath: true),
        new("POST", "/api/v1/partners", Partners, Existing: false, HasIdInPath: false),
        new("PUT", "/api/v1/partners/{idOrSlug}", Partners, Existing: true, HasIdInPath: true),
        new("PATCH", "/api/v1/partners/{idOrSlug}", Partners, Existing: true, HasIdInPath: true),
        new("PUT", "/api/v1/partners/by-ref/{source}/{externalId}", Partners, Existing: true, HasIdInPath: false),
        new("DELETE", "/api/v1/partners/{idOrSlug}", Partners, Existing: true, HasIdInPath: true),
        // Imports upsert many records by external reference: no id in the path, no If-Match (ADR 0034), but the same keys and scopes.
        new("POST", "/api/v1/agreements/import", Agreements, Existing: false, HasIdInPath: false),
        new("POST", "/api/v1/partners/import", Partners, Existing: false, HasIdInPath: false),
    ];

    public static TheoryData<string> AllWrites => [.. Rows.Select(r => r.Name)];

    public static TheoryData<string> WritesByPathId => [.. Rows.Where(r => r.HasIdInPath).Select(r => r.Name)];

    public static TheoryData<string> WritesToExisting => [.. Rows.Where(r => r.Existing).Select(r => r.Name)];

    [Fact]
    public void WriteRoutes_WhenReadFromTheRouteTable_ShouldEachHaveAMatrixRow()
    {
        var routes = Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            // Webhook subscriptions are configuration, not versioned records (no If-Match): WebhookSubscriptionTests.
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/webhooks", StringComparison.Ordinal) != true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Where(name => name.Split(' ')[0] is "POST" or "PUT" or "PATCH" or "DELETE")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(17, routes.Count);
        Assert.Equal(Rows.Select(r => r.Name).Order(StringComparer.Ordinal), routes);
    }

    [Theory]
    [MemberData(nameof(AllWrites))]
    public async Task Write_WhenEverythingIsRight_ShouldSucceed(string write)
    {
        // The control: the request every other case changes in one place is itself accepted, so each refusal below is
        // for the one thing that was made wrong, not for a malformed request.
        var target = await ArrangeAsync(RowOf(write));

        using var response = await Client.SendAsync(target.Build(target.Url, await CreateKeyAsync(RowOf(write).Scope), target.ETag));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{write} → {(int)response.StatusCode}: {body}");
    }

    [Theory]
    [MemberData(nameof(AllWrites))]
    public async Task Write_WhenNoKey_ShouldReturn401AndChangeNothing(string write)
    {
        var target = await ArrangeAsync(RowOf(write));

        await AssertRefusedAsync(target, target.Build(target.Url, key: null, target.ETag), HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [Theory]
    [MemberData(nameof(AllWrites))]
    public async Task Write_WhenKeyLacksTheScope_ShouldReturn403AndChangeNothing(string write)
    {
        var row = RowOf(write);
        var target = await ArrangeAsync(row);
        var otherScope = row.Scope == Agreements ? Partners : Agreements;

        await AssertRefusedAsync(target, target.Build(target.Url, await CreateKeyAsync(otherScope), target.ETag), HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Theory]
    [MemberData(nameof(WritesByPathId))]
    public async Task Write_WhenTheIdIsUnknown_ShouldReturn404AndChangeNothing(string write)
    {
        var row = RowOf(write);
        var target = await ArrangeAsync(row);
        var unknown = row.Route.StartsWith("/api/v1/partners", StringComparison.Ordinal) ? "no-such-partner" : Guid.NewGuid().ToString();
        var url = target.Url.Replace(target.Id!, unknown, StringComparison.Ordinal);

        await AssertRefusedAsync(target, target.Build(url, await CreateKeyAsync("admin"), target.ETag), HttpStatusCode.NotFound,
            row.Scope == Agreements ? "agreement.not-found" : "partner.not-found");
    }

    [Theory]
    [MemberData(nameof(WritesToExisting))]
    public async Task Write_WhenIfMatchIsMissing_ShouldReturn428AndChangeNothing(string write)
    {
        var target = await ArrangeAsync(RowOf(write));

        await AssertRefusedAsync(target, target.Build(target.Url, await CreateKeyAsync("admin"), ifMatch: null), (HttpStatusCode)428, "precondition.required");
    }

    [Theory]
    [MemberData(nameof(WritesToExisting))]
    public async Task Write_WhenIfMatchIsStale_ShouldReturn412AndChangeNothing(string write)
    {
        var target = await ArrangeAsync(RowOf(write));
        var stale = target.ETag!;
        var current = await target.BumpAsync();
        Assert.NotEqual(stale, current);

        using var response = await AssertRefusedAsync(target, target.Build(target.Url, await CreateKeyAsync("admin"), stale), HttpStatusCode.PreconditionFailed, "version.stale");

        Assert.Equal(current, response.Headers.ETag?.Tag);
    }

    private static Row RowOf(string name) => Rows.Single(r => r.Name == name);

    /// <summary>Sends the request and asserts the problem and that not one table changed; returns the response.</summary>
    private async Task<HttpResponseMessage> AssertRefusedAsync(Target target, HttpRequestMessage request, HttpStatusCode status, string code)
    {
        var before = await SnapshotAsync();

        var response = await Client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{target.Row.Name} → {(int)response.StatusCode}, expected {(int)status}: {body}");
        await AssertProblemAsync(response, status, code);
        var after = await SnapshotAsync();
        Assert.True(before == after, $"{target.Row.Name} was refused with {(int)status} but changed: {DatabaseSnapshot.Changes(before, after)}");
        return response;
    }

    /// <summary>Makes what the row writes to (a draft to activate, a partner without agreements to delete, a record under an external reference) and returns the valid request.</summary>
    private async Task<Target> ArrangeAsync(Row row)
    {
        var admin = await CreateKeyAsync("admin");
        var partnerId = await PartnerIdAsync();
        var osakaAgreement = (await GetJsonAsync($"/api/v1/partners/{OsakaPartnerSlug}/agreements?sort=signedOn"))["items"]![0]!["id"]!.GetValue<string>();
        var agreementBody = new JsonObject
        {
            ["partnerId"] = partnerId,
            ["type"] = "mou",
            ["title"] = new JsonObject { ["ja"] = "契約行列の覚書", ["en"] = "Matrix MOU" },
            ["signedOn"] = "2025-09-07",
            ["cooperation"] = new JsonObject { ["scopes"] = new JsonArray("event-cooperation"), ["isOpenEnded"] = true },
        };
        JsonObject PartnerBody(string slug, string shortName = "MTX") => new()
        {
            ["slug"] = slug,
            ["name"] = new JsonObject { ["ja"] = "行列県", ["en"] = "Matrix Prefecture" },
            ["shortName"] = shortName,
            ["kind"] = "local-government",
            ["country"] = "JP",
        };

        async Task<(string Id, string ETag)> PostAsync(string url, JsonObject body)
        {
            using var response = await Client.SendAsync(Send(HttpMethod.Post, url, admin, body.ToJsonString(), "application/json", null));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"arrange POST {url} → {(int)response.StatusCode}: {text}");
            var created = JsonNode.Parse(text)!;
            return ((created["slug"] ?? created["id"])!.GetValue<string>(), response.Headers.ETag!.Tag);
        }

        async Task<string> ETagOfAsync(string url)
        {
            using var response = await Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return response.Headers.ETag!.Tag;
        }

        // Moves the resource to its next version with a merge patch; returns its new ETag.
        Func<Task<string>> Bumper(string url, JsonObject patch) => async () =>
        {
            var etag = await ETagOfAsync(url);
            using var response = await Client.SendAsync(Send(HttpMethod.Patch, url, admin, patch.ToJsonString(), "application/merge-patch+json", etag));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return response.Headers.ETag!.Tag;
        };

        var bumpAgreementTitle = new JsonObject { ["title"] = new JsonObject { ["ja"] = "改訂された覚書", ["en"] = "Revised MOU" } };
        var bumpPartner = new JsonObject { ["shortName"] = "BMP" };
        switch (row.Name)
        {
            case "POST /api/v1/agreements":
                return new(row, "/api/v1/agreements", null, null, agreementBody.ToJsonString(), "application/json", null);
            case "POST /api/v1/partners":
                return new(row, "/api/v1/partners", null, null, PartnerBody("matrix-prefecture").ToJsonString(), "application/json", null);
            case "PUT /api/v1/agreements/{id}":
            case "PATCH /api/v1/agreements/{id}":
            case "DELETE /api/v1/agreements/{id}":
            case "POST /api/v1/agreements/{id}/terminate":
            case "POST /api/v1/agreements/{id}/renew":
            {
                var url = $"/api/v1/agreements/{osakaAgreement}";
                var etag = await ETagOfAsync(url);
                var suffix = row.Route.Split('/')[^1] is "terminate" or "renew" ? "/" + row.Route.Split('/')[^1] : string.Empty;
                var (body, mediaType) = row.Name switch
                {
                    "PUT /api/v1/agreements/{id}" => (agreementBody.ToJsonString(), "application/json"),
                    "PATCH /api/v1/agreements/{id}" => ("""{"title":{"ja":"変更された覚書","en":"Changed MOU"}}""", "application/merge-patch+json"),
                    "POST /api/v1/agreements/{id}/terminate" => ("""{"on":"2026-01-01","reason":"matrix"}""", "application/json"),
                    "POST /api/v1/agreements/{id}/renew" => ("""{"signedOn":"2025-09-07","validity":{"termMonths":60}}""", "application/json"),
                    _ => ((string?)null, (string?)null),
                };
                return new(row, url + suffix, osakaAgreement, etag, body, mediaType, Bumper(url, bumpAgreementTitle));
            }

            case "POST /api/v1/agreements/{id}/documents":
            case "DELETE /api/v1/agreements/{id}/documents/{documentId}":
            {
                var url = $"/api/v1/agreements/{osakaAgreement}";
                var etag = await ETagOfAsync(url);
                return row.Method == "POST"
                    ? new(row, url + "/documents", osakaAgreement, etag,
                        """{"kind":"annex","title":{"ja":"行列の附属書"},"language":"ja","url":"https://example.org/annex"}""", "application/json", Bumper(url, bumpAgreementTitle))
                    : new(row, $"{url}/documents/{LinkJ.Application.Seed.LinkJPressRelease2020.Documents[0].Id}", osakaAgreement, etag, null, null, Bumper(url, bumpAgreementTitle));
            }

            case "POST /api/v1/agreements/{id}/activate":
            {
                var draftBody = agreementBody.DeepClone().AsObject();
                draftBody["status"] = "draft";
                var (id, etag) = await PostAsync("/api/v1/agreements", draftBody);
                return new(row, $"/api/v1/agreements/{id}/activate", id, etag, null, null, Bumper($"/api/v1/agreements/{id}", bumpAgreementTitle));
            }

            case "PUT /api/v1/agreements/by-ref/{source}/{externalId}":
            {
                const string url = "/api/v1/agreements/by-ref/crm/MATRIX-1";
                using var created = await Client.SendAsync(Send(HttpMethod.Put, url, admin, agreementBody.ToJsonString(), "application/json", null));
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
                var changed = agreementBody.DeepClone().AsObject();
                changed["title"] = new JsonObject { ["ja"] = "同期で変わった覚書", ["en"] = "Synced MOU" };
                return new(row, url, null, created.Headers.ETag!.Tag, changed.ToJsonString(), "application/json", Bumper($"/api/v1/agreements/{id}", bumpAgreementTitle));
            }

            case "PUT /api/v1/partners/{idOrSlug}":
            case "PATCH /api/v1/partners/{idOrSlug}":
            {
                var url = $"/api/v1/partners/{OsakaPartnerSlug}";
                var etag = await ETagOfAsync(url);
                var (body, mediaType) = row.Method == "PUT"
                    ? (PartnerBody(OsakaPartnerSlug, "OSK").ToJsonString(), "application/json")
                    : ("""{"shortName":"OSK"}""", "application/merge-patch+json");
                return new(row, url, OsakaPartnerSlug, etag, body, mediaType, Bumper(url, bumpPartner));
            }

            case "DELETE /api/v1/partners/{idOrSlug}":
            {
                var (slug, etag) = await PostAsync("/api/v1/partners", PartnerBody("matrix-prefecture"));
                var url = $"/api/v1/partners/{slug}";
                return new(row, url, slug, etag, null, null, Bumper(url, bumpPartner));
            }

            case "PUT /api/v1/partners/by-ref/{source}/{externalId}":
            {
                const string url = "/api/v1/partners/by-ref/crm/MATRIX-P";
                using var created = await Client.SendAsync(Send(HttpMethod.Put, url, admin, PartnerBody("matrix-prefecture").ToJsonString(), "application/json", null));
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                return new(row, url, null, created.Headers.ETag!.Tag, PartnerBody("matrix-prefecture", "SYN").ToJsonString(), "application/json",
                    Bumper("/api/v1/partners/matrix-prefecture", bumpPartner));
            }

            case "POST /api/v1/agreements/import":
            {
                var line = agreementBody.DeepClone().AsObject();
                line["externalRef"] = new JsonObject { ["source"] = "crm", ["id"] = "MATRIX-I" };
                return new(row, "/api/v1/agreements/import", null, null, line.ToJsonString() + "\n", "application/x-ndjson", null);
            }

            case "POST /api/v1/partners/import":
            {
                var line = PartnerBody("matrix-prefecture");
                line["externalRef"] = new JsonObject { ["source"] = "crm", ["id"] = "MATRIX-P" };
                return new(row, "/api/v1/partners/import", null, null, line.ToJsonString() + "\n", "application/x-ndjson", null);
            }

            default:
                throw new InvalidOperationException($"No arrangement for {row.Name}: add one with the row.");
        }
    }

    private static HttpRequestMessage Send(HttpMethod method, string url, string? key, string? body, string? mediaType, string? ifMatch)
    {
        var request = new HttpRequestMessage(method, url);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType!);
        }

        return request;
    }

    private sealed record Row(string Method, string Route, string Scope, bool Existing, bool HasIdInPath)
    {
        public string Name => $"{Method} {Route}";
    }

    /// <summary>The valid request of a row: its URL (with <see cref="Id"/> in it where the route has one), body and current ETag.</summary>
    private sealed record Target(Row Row, string Url, string? Id, string? ETag, string? Body, string? MediaType, Func<Task<string>>? Bump)
    {
        public HttpRequestMessage Build(string url, string? key, string? ifMatch) =>
            Send(new HttpMethod(Row.Method), url, key, Body, MediaType, Row.Existing ? ifMatch : null);

        /// <summary>Changes the resource so that <see cref="ETag"/> is stale; returns the new ETag.</summary>
        public Task<string> BumpAsync() => Bump!();
    }
}
