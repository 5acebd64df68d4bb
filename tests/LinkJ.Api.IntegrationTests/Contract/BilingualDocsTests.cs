using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Infrastructure.Contract;

namespace LinkJ.Api.IntegrationTests.Contract;

/// <summary>
/// Partner-website developers read the reference (ReDoc, Swagger UI) in Japanese or English: the public reads and the
/// parameters they filter with carry a Japanese line beside the English.
/// </summary>
public sealed partial class BilingualDocsTests(ApiFactory factory) : ApiTest(factory)
{
    private static readonly string[] PublicReads =
    [
        "/api/v1/agreements", "/api/v1/agreements/export.csv", "/api/v1/agreements/feed.atom", "/api/v1/agreements/{id}",
        "/api/v1/partners", "/api/v1/partners/export.csv", "/api/v1/partners/{idOrSlug}", "/api/v1/partners/{idOrSlug}/agreements",
        "/api/v1/stats", "/api/v1/cooperation-scopes",
    ];

    private static readonly string[] WebsiteParameters = ["lang", "country", "partnerKind", "kind", "scope", "year", "q", "expiringWithin"];

    [Fact]
    public async Task PublicReadsAndTheirFilters_WhenDocumented_ShouldHaveAnEnglishAndAJapaneseLine()
    {
        var document = OpenApiRefs.Inline(await GetJsonAsync("/swagger/v1/swagger.json"));
        var failures = new List<string>();
        var parametersSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in PublicReads)
        {
            var operation = document["paths"]![path]!["get"]!;
            if (!IsBilingual(operation["description"]))
            {
                failures.Add($"GET {path}: {operation["description"]}");
            }

            foreach (var parameter in (operation["parameters"]?.AsArray() ?? []).Where(p => WebsiteParameters.Contains(p!["name"]!.GetValue<string>())))
            {
                parametersSeen.Add(parameter!["name"]!.GetValue<string>());
                if (!IsBilingual(parameter["description"]))
                {
                    failures.Add($"GET {path} ?{parameter["name"]}: {parameter["description"]}");
                }
            }
        }

        Assert.Empty(failures);
        Assert.Equal(WebsiteParameters.Order(StringComparer.Ordinal), parametersSeen.Order(StringComparer.Ordinal));
    }

    /// <summary>An English paragraph, then a paragraph in Japanese (kana or kanji, no Latin sentence).</summary>
    private static bool IsBilingual(JsonNode? description) =>
        description?.GetValue<string>().Split("\n\n") is [var english, .., var japanese]
        && LatinWord().IsMatch(english) && Japanese().IsMatch(japanese);

    [GeneratedRegex("[A-Za-z]{3,}")]
    private static partial Regex LatinWord();

    [GeneratedRegex(@"[\p{IsHiragana}\p{IsKatakana}\p{IsCJKUnifiedIdeographs}]")]
    private static partial Regex Japanese();
}
