using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Infrastructure.Contract;

namespace LinkJ.Api.IntegrationTests.Fuzz;

/// <summary>
/// A sync client that sends a field this version does not know learns it at once (400), for every write body of the
/// OpenAPI document — replaces, upserts, merge patches, renewals, terminations — at the top and in every nested object.
/// </summary>
public sealed class UnknownFieldTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task EveryWriteBody_WhenItHasAnUnknownField_ShouldReturn400ProblemNamingItAndChangeNothing()
    {
        var document = OpenApiRefs.Inline(JsonNode.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json"))!);
        // The webhook operations' bodies: WebhookSubscriptionTests.
        var operations = FuzzOperation.AllIn(document)
            .Where(o => o.BodySchema is not null && !o.Path.StartsWith("/api/v1/webhooks", StringComparison.Ordinal)).ToList();
        var key = await CreateKeyAsync("admin");
        var partner = await GetJsonAsync($"/api/v1/partners/{FuzzTarget.PartnerSlug}");
        var agreementId = (await GetJsonAsync($"/api/v1/partners/{FuzzTarget.PartnerSlug}/agreements"))["items"]![0]!["id"]!.GetValue<string>();
        var target = new FuzzTarget(agreementId, partner["id"]!.GetValue<string>(), "\"v1\"", "\"v1\"");
        var before = await SnapshotAsync();
        var sent = 0;

        Assert.Equal(11, operations.Count);
        foreach (var operation in operations)
        {
            var valid = target.BodyOf(operation)!;
            foreach (var path in ObjectPaths(valid, "$"))
            {
                var body = valid.DeepClone().AsObject();
                ObjectAt(body, path)["unexpectedField"] = "from a newer client";
                using var request = new HttpRequestMessage(new HttpMethod(operation.Method), target.UrlOf(operation))
                {
                    Content = new StringContent(body.ToJsonString()),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(operation.BodyMediaType!);
                request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
                if (target.ETagOf(operation) is { } etag)
                {
                    request.Headers.TryAddWithoutValidation("If-Match", etag);
                }

                using var response = await Client.SendAsync(request);
                sent++;

                var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
                Assert.True(problem.ToJsonString().Contains("unexpectedField", StringComparison.Ordinal) || problem["errors"] is not null,
                    $"{operation.Name} {path}: {problem.ToJsonString()}");
            }
        }

        Assert.True(sent >= 30, $"only {sent} requests");
        Assert.Equal(before, await SnapshotAsync());
    }

    private static IEnumerable<string> ObjectPaths(JsonNode node, string path)
    {
        if (node is JsonObject obj)
        {
            yield return path;
            foreach (var (name, value) in obj)
            {
                foreach (var inner in value is null ? [] : ObjectPaths(value, path + "." + name))
                {
                    yield return inner;
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                foreach (var inner in array[i] is null ? [] : ObjectPaths(array[i]!, $"{path}[{i}]"))
                {
                    yield return inner;
                }
            }
        }
    }

    private static JsonObject ObjectAt(JsonObject root, string path)
    {
        JsonNode current = root;
        foreach (var part in path.Split('.').Skip(1))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            current = bracket < 0 ? current[part]! : current[part[..bracket]]![int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
        }

        return current.AsObject();
    }
}
