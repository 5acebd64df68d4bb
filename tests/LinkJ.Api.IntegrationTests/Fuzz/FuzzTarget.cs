using System.Text.Json.Nodes;

namespace LinkJ.Api.IntegrationTests.Fuzz;

/// <summary>
/// The seeded records the fuzzer aims at (the Osaka partner and its agreement), and a valid request body for each
/// operation that takes one, so that each generated request differs from a valid one in the one place it is meant to.
/// </summary>
public sealed record FuzzTarget(string AgreementId, string PartnerId, string AgreementETag, string PartnerETag)
{
    public const string PartnerSlug = "osaka-prefecture";

    /// <summary>The operation's URL with valid path values, except for those overridden (already percent-encoded).</summary>
    public string UrlOf(FuzzOperation operation, params (string Name, string Encoded)[] overrides)
    {
        var url = operation.Path;
        foreach (var parameter in operation.Parameters.Where(p => p.In == "path"))
        {
            var value = overrides.FirstOrDefault(o => o.Name == parameter.Name).Encoded ?? parameter.Name switch
            {
                "id" => AgreementId,
                "idOrSlug" => PartnerSlug,
                "source" => "crm",
                "externalId" => "FUZZ-1",
                "documentId" => LinkJ.Application.Seed.LinkJPressRelease2020.Documents[0].Id.ToString(),
                _ => throw new InvalidOperationException($"No valid value for path parameter {parameter.Name} of {operation.Name}."),
            };
            url = url.Replace("{" + parameter.Name + "}", value, StringComparison.Ordinal);
        }

        return url;
    }

    /// <summary>The current ETag of the resource the operation writes, for If-Match.</summary>
    public string? ETagOf(FuzzOperation operation) =>
        !operation.DocumentedStatuses.Contains(428) || operation.Path.Contains("by-ref", StringComparison.Ordinal) ? null
        : operation.Path.StartsWith("/api/v1/partners", StringComparison.Ordinal) ? PartnerETag
        : AgreementETag;

    /// <summary>A valid body for the operation, every optional member filled in so that the fuzzer reaches them.</summary>
    public JsonObject? BodyOf(FuzzOperation operation) => (operation.Method, operation.Path) switch
    {
        (_, _) when operation.BodySchema is null => null,
        ("PATCH", var path) when path.StartsWith("/api/v1/agreements", StringComparison.Ordinal) => new JsonObject { ["title"] = Text("大阪府との覚書（改）", "MOU (revised)") },
        ("PATCH", _) => new JsonObject { ["shortName"] = "OSK" },
        (_, var path) when path.EndsWith("/renew", StringComparison.Ordinal) => new JsonObject { ["signedOn"] = "2025-09-07", ["validity"] = new JsonObject { ["termMonths"] = 60 } },
        (_, var path) when path.EndsWith("/terminate", StringComparison.Ordinal) => new JsonObject { ["on"] = "2026-03-31", ["reason"] = "目的を達成" },
        (_, var path) when path.StartsWith("/api/v1/partners", StringComparison.Ordinal) => Partner(),
        (_, var path) when path.EndsWith("/documents", StringComparison.Ordinal) => new JsonObject
        {
            ["kind"] = "press-release", ["title"] = Text("英語版のリリース", "The release in English"), ["language"] = "en", ["visibility"] = "public",
            ["url"] = "https://example.org/release-en", ["mediaType"] = "text/html", ["sha256"] = new string('a', 64),
        },
        _ => Agreement(),
    };

    private JsonObject Agreement() => new()
    {
        ["partnerId"] = PartnerId,
        ["type"] = "mou",
        ["title"] = Text("大阪府との覚書（第二期）", "Second MOU with Osaka Prefecture"),
        ["signedOn"] = "2025-09-07",
        ["validity"] = new JsonObject { ["from"] = "2025-09-07", ["until"] = "2030-09-06" },
        ["cooperation"] = new JsonObject { ["scopes"] = new JsonArray("event-cooperation", "mutual-visits"), ["isOpenEnded"] = true, ["note"] = "覚書に基づく" },
        ["signatories"] = new JsonArray(new JsonObject { ["name"] = Text("吉村洋文", "Hirofumi Yoshimura"), ["title"] = Text("知事", "Governor"), ["organisation"] = Text("大阪府", "Osaka Prefecture") }),
        ["sourceNote"] = "fuzz",
    };

    private static JsonObject Partner() => new()
    {
        ["slug"] = "kanagawa-prefecture",
        ["name"] = Text("神奈川県", "Kanagawa Prefecture"),
        ["shortName"] = "KPG",
        ["kind"] = "local-government",
        ["country"] = "JP",
        ["region"] = Text("首都圏", "Greater Tokyo"),
        ["website"] = "https://www.pref.kanagawa.jp/",
        ["formerNames"] = new JsonArray(new JsonObject { ["name"] = Text("旧神奈川", "Old Kanagawa"), ["until"] = "2001-04" }),
    };

    private static JsonObject Text(string ja, string en) => new() { ["ja"] = ja, ["en"] = en };
}
