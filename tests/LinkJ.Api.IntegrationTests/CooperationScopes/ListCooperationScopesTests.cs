using System.Text.RegularExpressions;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.CooperationScopes;

/// <summary>GET /api/v1/cooperation-scopes: the 11 cooperation items of the release's table, bilingual, in display order.</summary>
public sealed partial class ListCooperationScopesTests(ApiFactory factory) : ApiTest(factory)
{
    private static readonly string[] CodesInDisplayOrder =
    [
        "publication-exchange",
        "publication-exchange-dissemination",
        "mutual-programs-events",
        "nihonbashi-symposium",
        "member-services",
        "event-cooperation",
        "mutual-visits",
        "mutual-facility-use",
        "short-term-programs",
        "bio-cluster-collaboration",
        "health-medical-cluster-collaboration",
    ];

    [Fact]
    public async Task ListCooperationScopes_WhenSeeded_ShouldReturnThe11ScopesInDisplayOrder()
    {
        var scopes = (await GetJsonAsync("/api/v1/cooperation-scopes")).AsArray();

        Assert.Equal(CodesInDisplayOrder, scopes.Select(s => s!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListCooperationScopes_WhenSeeded_ShouldGiveEveryScopeASlugCodeAndJapaneseAndEnglishLabels()
    {
        var scopes = (await GetJsonAsync("/api/v1/cooperation-scopes")).AsArray();

        Assert.Equal(11, scopes.Count);
        Assert.All(scopes, scope =>
        {
            Assert.Matches(SlugPattern(), scope!["code"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(scope["label"]!["ja"]!.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(scope["label"]!["en"]!.GetValue<string>()));
        });
        Assert.Equal(11, scopes.Select(s => s!["label"]!["ja"]!.GetValue<string>()).Distinct().Count());
    }

    [Theory]
    [InlineData("health-medical-cluster-collaboration", "国内外の健康・医療クラスター等との連携推進", "Promoting collaboration with health and medical clusters in Japan and abroad")]
    [InlineData("bio-cluster-collaboration", "国内外バイオクラスター等との連携推進", "Promoting collaboration with bio clusters in Japan and abroad")]
    [InlineData("event-cooperation", "活動、イベント、プログラム等における共催、協賛、告知等の協力", "Co-hosting, sponsorship and promotion of activities, events and programs")]
    [InlineData("publication-exchange", "刊行物、資料、情報の交換", "Exchange of publications, materials and information")]
    public async Task ListCooperationScopes_WhenSeeded_ShouldLabelTheScopeAsTheReleaseDoes(string code, string ja, string en)
    {
        var scopes = (await GetJsonAsync("/api/v1/cooperation-scopes")).AsArray();

        var scope = Assert.Single(scopes, s => s!["code"]!.GetValue<string>() == code)!;
        Assert.Equal(ja, scope["label"]!["ja"]!.GetValue<string>());
        Assert.Equal(en, scope["label"]!["en"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListCooperationScopes_WhenSeeded_ShouldContainEveryScopeTheAgreementsList()
    {
        var vocabulary = (await GetJsonAsync("/api/v1/cooperation-scopes")).AsArray()
            .ToDictionary(s => s!["code"]!.GetValue<string>(), s => s!["label"]!.ToJsonString());
        var agreements = await GetJsonAsync("/api/v1/agreements?limit=100");

        var used = agreements.Items().SelectMany(a => a!["cooperation"]!["scopes"]!.AsArray()).ToList();

        Assert.Equal(13, agreements.Items().Count);
        Assert.All(used, scope =>
        {
            var code = scope!["code"]!.GetValue<string>();
            Assert.True(vocabulary.TryGetValue(code, out var label), $"{code} is not in the vocabulary");
            Assert.Equal(label, scope["label"]!.ToJsonString());
        });
        Assert.Equal(vocabulary.Keys.Order(StringComparer.Ordinal), used.Select(s => s!["code"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
