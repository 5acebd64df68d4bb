using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Agreements;

/// <summary>The 13 partnerships of the 2020-09-07 release, read back over HTTP and checked against the document.</summary>
public sealed class SeededAgreementsTests(ApiFactory factory) : ApiTest(factory)
{
    /// <summary>The release's table 「LINK-J の提携に関する沿革」, row by row.</summary>
    public static TheoryData<int, string, string, string, string, string, string, int> Document => new()
    {
        // ordinal, slug, Japanese name, country, kind, signed, scopes, ordinal within kind
        { 1, "ucsd", "カリフォルニア大学サンディエゴ校", "US", "university", "2016-05", "publication-exchange mutual-programs-events nihonbashi-symposium", 1 },
        { 2, "biocom", "BIOCOM", "US", "industry-association", "2016-05", "member-services publication-exchange mutual-programs-events", 1 },
        { 3, "eurobiomed", "Eurobiomed", "FR", "industry-association", "2017-06", "member-services publication-exchange mutual-programs-events", 2 },
        { 4, "kyoto-research-park", "京都リサーチパーク株式会社", "JP", "company", "2017-07", "event-cooperation publication-exchange mutual-visits", 1 },
        { 5, "one-nucleus", "One Nucleus", "GB", "industry-association", "2017-12", "member-services publication-exchange mutual-programs-events", 3 },
        { 6, "kobe-biomedical-innovation-cluster", "公益財団法人神戸医療産業都市推進機構", "JP", "foundation", "2018-01", "event-cooperation publication-exchange mutual-visits", 1 },
        { 7, "keio-iab", "慶應義塾大学先端生命科学研究所", "JP", "research-institute", "2018-04", "event-cooperation publication-exchange mutual-visits", 1 },
        { 8, "medcity", "MedCity", "GB", "industry-association", "2018-06", "publication-exchange short-term-programs mutual-visits event-cooperation", 4 },
        { 9, "kawasaki-city", "川崎市", "JP", "local-government", "2018-08-30", "event-cooperation publication-exchange-dissemination mutual-visits mutual-facility-use", 1 },
        { 10, "ucla", "カリフォルニア大学ロサンゼルス校", "US", "university", "2019-06-03", "publication-exchange mutual-programs-events nihonbashi-symposium", 2 },
        { 11, "yokohama-city", "横浜市", "JP", "local-government", "2019-08-30", "event-cooperation publication-exchange-dissemination bio-cluster-collaboration", 2 },
        { 12, "oxford-university-innovation", "Oxford University Innovation", "GB", "company", "2020-07", "member-services publication-exchange mutual-programs-events", 2 },
        { 13, "osaka-prefecture", "大阪府", "JP", "local-government", "2020-09-07", "event-cooperation publication-exchange-dissemination health-medical-cluster-collaboration", 3 },
    };

    [Fact]
    public async Task ListAgreements_WhenSeeded_ShouldReturnThe13PartnershipsInTheDocumentsOrder()
    {
        var page = await GetJsonAsync("/api/v1/agreements?limit=100");

        var slugs = page["items"]!.AsArray().Select(a => a!["partner"]!["slug"]!.GetValue<string>()).ToList();
        Assert.Equal(Document.Select(row => (string)row[1]), slugs);
        Assert.Null(page["next"]);
    }

    [Theory]
    [MemberData(nameof(Document))]
    public async Task ListAgreements_WhenSeeded_ShouldMatchTheDocumentRow(
        int ordinal, string slug, string nameJa, string country, string kind, string signedOn, string scopes, int ordinalWithinKind)
    {
        var agreement = await FindBySlugAsync(slug);

        Assert.Equal(nameJa, agreement["partner"]!["name"]!["ja"]!.GetValue<string>());
        Assert.Equal(country, agreement["partner"]!["country"]!.GetValue<string>());
        Assert.Equal(kind, agreement["partner"]!["kind"]!.GetValue<string>());
        Assert.Equal(signedOn, agreement["signedOn"]!.GetValue<string>());
        Assert.Equal(signedOn.Length == 10 ? "day" : "month", agreement["signedOnPrecision"]!.GetValue<string>());
        Assert.Equal("mou", agreement["type"]!.GetValue<string>());
        Assert.Equal(scopes.Split(' '), agreement["cooperation"]!["scopes"]!.AsArray().Select(s => s!["code"]!.GetValue<string>()));
        Assert.Equal(ordinal, agreement["ordinal"]!["overall"]!.GetValue<long>());
        Assert.Equal(ordinalWithinKind, agreement["ordinal"]!["withinPartnerKind"]!.GetValue<long>());
    }

    [Fact]
    public async Task GetAgreement_WhenOsaka_ShouldBeThe13thPartnershipAnd3rdWithALocalGovernmentWithThreeSignatories()
    {
        var listed = await FindBySlugAsync("osaka-prefecture");

        var osaka = await GetJsonAsync($"/api/v1/agreements/{listed["id"]!.GetValue<string>()}");

        Assert.Equal("2020-09-07", osaka["signedOn"]!.GetValue<string>());
        Assert.Equal(13, osaka["ordinal"]!["overall"]!.GetValue<long>());
        Assert.Equal(3, osaka["ordinal"]!["withinPartnerKind"]!.GetValue<long>());
        Assert.Equal("active", osaka["status"]!.GetValue<string>());
        Assert.True(osaka["cooperation"]!["isOpenEnded"]!.GetValue<bool>());
        Assert.Equal(
            ["澤芳樹", "山口信彦", "植田俊"],
            osaka["signatories"]!.AsArray().Select(s => s!["name"]!["ja"]!.GetValue<string>()));
        Assert.Equal("副知事", osaka["signatories"]![1]!["title"]!["ja"]!.GetValue<string>());
        Assert.Equal("Osaka Prefecture", osaka["partner"]!["name"]!["en"]!.GetValue<string>());
        Assert.Equal("国内外の健康・医療クラスター等との連携推進", osaka["cooperation"]!["scopes"]![2]!["label"]!["ja"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListAgreements_WhenSeeded_ShouldCount7OverseasPartnersAnd3LocalGovernments()
    {
        var items = (await GetJsonAsync("/api/v1/agreements?limit=100"))["items"]!.AsArray();

        Assert.Equal(7, items.Count(a => a!["partner"]!["country"]!.GetValue<string>() != "JP"));
        Assert.Equal(3, items.Count(a => a!["partner"]!["kind"]!.GetValue<string>() == "local-government"));
    }

    [Fact]
    public async Task GetAgreement_WhenKobe_ShouldKeepTheTablesMonthAndNoteTheConflictingSource()
    {
        var kobe = await FindBySlugAsync("kobe-biomedical-innovation-cluster");

        Assert.Equal("2018-01", kobe["signedOn"]!.GetValue<string>());
        var note = kobe["sourceNote"]!.GetValue<string>();
        Assert.Contains("2018年1月", note);
        Assert.Contains("2018年2月", note);

        var partner = await GetJsonAsync("/api/v1/partners/kobe-biomedical-innovation-cluster");
        Assert.Equal("公益財団法人先端医療振興財団", partner["formerNames"]![0]!["name"]!["ja"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetAgreement_WhenUcla_ShouldHaveFiveYearTermAndBeExpired()
    {
        var ucla = await FindBySlugAsync("ucla");

        Assert.Equal("2019-06-03", ucla["validity"]!["from"]!.GetValue<string>());
        Assert.Equal("2024-06-02", ucla["validity"]!["until"]!.GetValue<string>());
        Assert.Equal(60, ucla["validity"]!["termMonths"]!.GetValue<int>());
        Assert.Equal("expired", ucla["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListAgreements_WhenMedCity_ShouldHaveAClosedScopeList()
    {
        var medcity = await FindBySlugAsync("medcity");

        Assert.False(medcity["cooperation"]!["isOpenEnded"]!.GetValue<bool>());
    }

    private async Task<JsonNode> FindBySlugAsync(string slug)
    {
        var page = await GetJsonAsync($"/api/v1/partners/{slug}/agreements");
        return Assert.Single(page["items"]!.AsArray())!;
    }
}
