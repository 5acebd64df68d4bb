using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Reads;

/// <summary>Display texts in the negotiated language: ?lang=, Accept-Language with q-values, fallbacks.</summary>
public sealed class LanguageNegotiationTests(ApiFactory factory) : WriteTest(factory)
{
    [Theory]
    [InlineData(null, null, "ja", "大阪府")]
    [InlineData("ja", null, "ja", "大阪府")]
    [InlineData("en", null, "en", "Osaka Prefecture")]
    [InlineData("en-US,en;q=0.9", null, "en", "Osaka Prefecture")]
    [InlineData("ja-JP", null, "ja", "大阪府")]
    [InlineData("en;q=0.5, ja;q=0.8", null, "ja", "大阪府")]
    [InlineData("fr-FR, en;q=0.3", null, "en", "Osaka Prefecture")]
    [InlineData("fr, de;q=0.9", null, "ja", "大阪府")]
    [InlineData("en;q=0", null, "ja", "大阪府")]
    [InlineData("ja", "en", "en", "Osaka Prefecture")]
    public async Task GetPartner_WhenLanguageNegotiated_ShouldGiveDisplayTextsAndContentLanguage(string? acceptLanguage, string? lang, string expected, string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/partners/osaka-prefecture" + (lang is null ? string.Empty : "?lang=" + lang));
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([expected], response.Content.Headers.ContentLanguage);
        Assert.Contains("Accept-Language", response.Headers.Vary);
        var partner = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(expected, partner["localized"]!["language"]!.GetValue<string>());
        Assert.Equal(name, partner["localized"]!["name"]!.GetValue<string>());
        Assert.Equal("大阪府", partner["name"]!["ja"]!.GetValue<string>()); // the bilingual field stays whole
    }

    [Fact]
    public async Task GetAgreement_WhenEnglishRequested_ShouldLocalizeTitlePartnerAndScopes()
    {
        var osaka = (await GetJsonAsync("/api/v1/partners/osaka-prefecture/agreements?lang=en"))["items"]![0]!;

        Assert.Equal("Osaka Prefecture", osaka["localized"]!["partnerName"]!.GetValue<string>());
        Assert.Equal("Osaka Prefecture", osaka["partner"]!["displayName"]!.GetValue<string>());
        Assert.StartsWith("Memorandum of Understanding", osaka["localized"]!["title"]!.GetValue<string>());
        Assert.Equal("Mutual visits", (await GetJsonAsync("/api/v1/partners/kawasaki-city/agreements?lang=en"))["items"]![0]!["localized"]!["scopes"]![2]!.GetValue<string>());
    }

    [Fact]
    public async Task GetPartner_WhenEnglishMissing_ShouldFallBackToJapanese()
    {
        var key = await CreateKeyAsync("partners:write");
        using var created = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/partners", key,
            new { slug = "japanese-only", name = new { ja = "日本語だけの団体" }, kind = "other", country = "JP" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var partner = await GetJsonAsync("/api/v1/partners/japanese-only?lang=en");

        Assert.Equal("en", partner["localized"]!["language"]!.GetValue<string>());
        Assert.Equal("日本語だけの団体", partner["localized"]!["name"]!.GetValue<string>());
        Assert.Equal("Other", partner["localized"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListPartners_WhenLangUnsupported_ShouldReturn400()
    {
        await GetProblemAsync("/api/v1/partners?lang=fr", HttpStatusCode.BadRequest, "language.unsupported");
    }
}
