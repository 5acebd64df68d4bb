using LinkJ.Api.IntegrationTests.Infrastructure;
using static LinkJ.Api.IntegrationTests.Infrastructure.Seeded;

namespace LinkJ.Api.IntegrationTests.Agreements;

/// <summary>GET /api/v1/agreements with filters: each filter alone, at its edges, and together, against the seeded 13.</summary>
public sealed class ListAgreementsFilterTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task ListAgreements_WhenCountryIsJP_ShouldReturnTheSixJapanesePartnershipsInSigningOrder()
    {
        var page = await GetJsonAsync("/api/v1/agreements?country=JP");

        Assert.Equal([KyotoResearchPark, Kobe, Keio, Kawasaki, Yokohama, Osaka], page.AgreementPartnerSlugs());
        Assert.All(page.Items(), a => Assert.Equal("JP", a!["partner"]!["country"]!.GetValue<string>()));
        Assert.Null(page.Next());
    }

    /// <summary>CountryCode accepts either case (CountryCode.Create upper-cases it), so the filter does too.</summary>
    [Theory]
    [InlineData("us")]
    [InlineData("Us")]
    [InlineData("US")]
    public async Task ListAgreements_WhenCountryIsInAnyCase_ShouldMatchTheUpperCaseCode(string country)
    {
        var page = await GetJsonAsync($"/api/v1/agreements?country={country}");

        Assert.Equal([Ucsd, Biocom, Ucla], page.AgreementPartnerSlugs());
    }

    /// <summary>Each sort order is a compiled query of its own, with and without the country filter: a walk of the
    /// filtered list, two at a time across cursors, finds the unfiltered list's agreements of that country, in its order.</summary>
    [Theory]
    [InlineData("signedOn", "")]
    [InlineData("-signedOn", "")]
    [InlineData("name", "")]
    [InlineData("-name", "&lang=en")]
    public async Task ListAgreements_WhenFilteredByCountryInAnySortOrder_ShouldWalkTheUnfilteredOrdersAgreementsOfThatCountry(string sort, string lang)
    {
        var (all, _) = await Paging.WalkAsync(GetJsonAsync, $"/api/v1/agreements?sort={sort}&limit=2{lang}");
        var (filtered, _) = await Paging.WalkAsync(GetJsonAsync, $"/api/v1/agreements?sort={sort}&limit=2&country=GB{lang}");

        var expected = all.Where(a => a["partner"]!["country"]!.GetValue<string>() == "GB").Select(a => a["id"]!.GetValue<string>()).ToList();
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected, filtered.Select(a => a["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListAgreements_WhenCountryHasNoPartner_ShouldReturnAnEmptyPage()
    {
        var page = await GetJsonAsync("/api/v1/agreements?country=DE");

        Assert.Empty(page.Items());
        Assert.Null(page.Next());
    }

    [Fact]
    public async Task ListAgreements_WhenPartnerKindIsLocalGovernment_ShouldReturnKawasakiYokohamaOsakaInThatOrder()
    {
        var page = await GetJsonAsync("/api/v1/agreements?partnerKind=local-government");

        Assert.Equal([Kawasaki, Yokohama, Osaka], page.AgreementPartnerSlugs());
        Assert.All(page.Items(), a => Assert.Equal("local-government", a!["partner"]!["kind"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("university", "ucsd ucla")]
    [InlineData("industry-association", "biocom eurobiomed one-nucleus medcity")]
    [InlineData("company", "kyoto-research-park oxford-university-innovation")]
    [InlineData("foundation", "kobe-biomedical-innovation-cluster")]
    [InlineData("research-institute", "keio-iab")]
    [InlineData("other", "")]
    public async Task ListAgreements_WhenPartnerKindIsGiven_ShouldReturnOnlyThatKindsPartnerships(string kind, string expected)
    {
        var page = await GetJsonAsync($"/api/v1/agreements?partnerKind={kind}");

        Assert.Equal(Slugs(expected), page.AgreementPartnerSlugs());
    }

    [Fact]
    public async Task ListAgreements_WhenScopeIsEventCooperation_ShouldReturnTheSevenAgreementsListingIt()
    {
        var page = await GetJsonAsync("/api/v1/agreements?scope=event-cooperation");

        Assert.Equal([KyotoResearchPark, Kobe, Keio, MedCity, Kawasaki, Yokohama, Osaka], page.AgreementPartnerSlugs());
        Assert.All(page.Items(), a => Assert.Contains(
            "event-cooperation",
            a!["cooperation"]!["scopes"]!.AsArray().Select(s => s!["code"]!.GetValue<string>())));
    }

    [Theory]
    [InlineData("health-medical-cluster-collaboration", "osaka-prefecture")]
    [InlineData("bio-cluster-collaboration", "yokohama-city")]
    [InlineData("mutual-facility-use", "kawasaki-city")]
    [InlineData("short-term-programs", "medcity")]
    [InlineData("nihonbashi-symposium", "ucsd ucla")]
    public async Task ListAgreements_WhenScopeIsListedByFewAgreements_ShouldReturnExactlyThose(string scope, string expected)
    {
        var page = await GetJsonAsync($"/api/v1/agreements?scope={scope}");

        Assert.Equal(Slugs(expected), page.AgreementPartnerSlugs());
    }

    [Fact]
    public async Task ListAgreements_WhenScopeIsWellFormedButUnknown_ShouldReturnAnEmptyList()
    {
        var page = await GetJsonAsync("/api/v1/agreements?scope=space-exploration");

        Assert.Empty(page.Items());
        Assert.Null(page.Next());
    }

    [Fact]
    public async Task ListAgreements_WhenStatusIsExpired_ShouldReturnOnlyUcla()
    {
        var page = await GetJsonAsync("/api/v1/agreements?status=expired");

        Assert.Equal([Ucla], page.AgreementPartnerSlugs());
        Assert.Equal("expired", page.Items()[0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListAgreements_WhenStatusIsActive_ShouldReturnThe12OthersInDocumentOrder()
    {
        var page = await GetJsonAsync("/api/v1/agreements?status=active");

        Assert.Equal(InDocumentOrder.Where(slug => slug != Ucla), page.AgreementPartnerSlugs());
        Assert.All(page.Items(), a => Assert.Equal("active", a!["status"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("draft")]
    [InlineData("terminated")]
    public async Task ListAgreements_WhenStatusHasNoAgreement_ShouldReturnAnEmptyList(string status)
    {
        var page = await GetJsonAsync($"/api/v1/agreements?status={status}");

        Assert.Empty(page.Items());
    }

    /// <summary>
    /// signedFrom is the first day of a month or the day given; signedTo the last day of a month or the day given; both
    /// inclusive. Agreements known only to the month sort as the first of their month.
    /// </summary>
    [Theory]
    [InlineData("signedFrom=2018-01&signedTo=2018-12", "kobe-biomedical-innovation-cluster keio-iab medcity kawasaki-city")]
    [InlineData("signedTo=2016-05", "ucsd biocom")]
    [InlineData("signedTo=2016-04", "")]
    [InlineData("signedFrom=2020-07", "oxford-university-innovation osaka-prefecture")]
    [InlineData("signedFrom=2020-10", "")]
    [InlineData("signedFrom=2018-08-30&signedTo=2019-08-30", "kawasaki-city ucla yokohama-city")]
    [InlineData("signedFrom=2018-08-31&signedTo=2019-08-29", "ucla")]
    [InlineData("signedFrom=2019-06-03&signedTo=2019-06-03", "ucla")]
    [InlineData("signedFrom=2019-06&signedTo=2019-06", "ucla")]
    [InlineData("signedTo=2019-06-02", "ucsd biocom eurobiomed kyoto-research-park one-nucleus kobe-biomedical-innovation-cluster keio-iab medcity kawasaki-city")]
    [InlineData("signedFrom=2020-09-07", "osaka-prefecture")]
    [InlineData("signedFrom=2020-09-08", "")]
    [InlineData("signedFrom=2020-02-29&signedTo=2020-09-06", "oxford-university-innovation")]
    [InlineData("signedFrom=2017-06&signedTo=2017-07-31", "eurobiomed kyoto-research-park")]
    public async Task ListAgreements_WhenSignedPeriodIsGiven_ShouldReturnTheAgreementsSignedWithinIt(string query, string expected)
    {
        var page = await GetJsonAsync($"/api/v1/agreements?{query}");

        Assert.Equal(Slugs(expected), page.AgreementPartnerSlugs());
    }

    [Theory]
    [InlineData("country=JP&partnerKind=local-government&signedFrom=2019-01&scope=event-cooperation", "yokohama-city osaka-prefecture")]
    [InlineData("country=gb&status=active&scope=publication-exchange", "one-nucleus medcity oxford-university-innovation")]
    [InlineData("country=US&status=active", "ucsd biocom")]
    [InlineData("country=US&partnerKind=university&status=expired", "ucla")]
    [InlineData("partnerKind=industry-association&signedFrom=2017-01&signedTo=2017-12", "eurobiomed one-nucleus")]
    [InlineData("scope=member-services&country=JP", "")]
    [InlineData("partnerKind=local-government&status=expired", "")]
    public async Task ListAgreements_WhenFiltersAreCombined_ShouldReturnTheAgreementsMatchingAllOfThem(string query, string expected)
    {
        var page = await GetJsonAsync($"/api/v1/agreements?{query}");

        Assert.Equal(Slugs(expected), page.AgreementPartnerSlugs());
    }
}
