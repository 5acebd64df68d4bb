using System.Net;
using System.Xml.Linq;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Writes;

namespace LinkJ.Api.IntegrationTests.Hardening;

/// <summary>
/// Issue 15, item 5: Unicode noncharacters are refused where texts come in, like control characters, and no stored value
/// (however it got into the database) makes a read fail.
/// </summary>
public sealed class NoncharacterTests(ApiFactory factory) : PartnerWriteTest(factory)
{
    public static TheoryData<string> Noncharacters => new()
    {
        "\uFFFE", "\uFFFF", "\uFDD0", "\uFDEF", "\uD83F\uDFFE" /* U+1FFFE */, "\uD83F\uDFFF" /* U+1FFFF */,
        "\uDBBF\uDFFE" /* U+FFFFE */, "\uDBFF\uDFFF" /* U+10FFFF */,
    };

    [Theory]
    [MemberData(nameof(Noncharacters))]
    public async Task PostAgreement_WhenTheTitleHasANoncharacter_ShouldReturn400AndStoreNothing(string noncharacter)
    {
        var key = await CreateKeyAsync("agreements:write");
        var before = await SnapshotAsync();

        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key,
            NewAgreement(await PartnerIdAsync(), titleJa: "大阪府" + noncharacter + "覚書")));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task PostPartner_WhenTheNameHasANoncharacter_ShouldReturn400()
    {
        var key = await CreateKeyAsync("partners:write");

        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/partners", key, NewPartner(nameJa: "神奈川\uFFFE県")));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ListAgreements_WhenTheSearchTextHasANoncharacter_ShouldReturn400()
    {
        await GetProblemAsync("/api/v1/agreements?q=%EF%BF%BE", HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("chr(65534)")]
    [InlineData("chr(65535)")]
    [InlineData("chr(1)")]
    [InlineData("chr(27)")]
    [InlineData("chr(64976)")]
    public async Task Feed_WhenAStoredTitleHasACharacterXmlCannotCarry_ShouldStillAnswer200(string character)
    {
        var (id, _) = await CreateAgreementAsync(await CreateKeyAsync("agreements:write")); // a new data version: the feed is computed again
        await Factory.ScalarAsync<object>(
            $"UPDATE agreements SET title_ja = 'bad' || {character} || 'title', title_en = 'bad' || {character} || 'title' WHERE id = '{id}'");

        foreach (var lang in new[] { "ja", "en" })
        {
            using var response = await Client.GetAsync($"/api/v1/agreements/feed.atom?lang={lang}");
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var titles = XDocument.Parse(text).Descendants(XName.Get("title", "http://www.w3.org/2005/Atom")).Select(t => t.Value);
            Assert.Contains(titles, title => title.StartsWith("bad", StringComparison.Ordinal) && title.EndsWith("title", StringComparison.Ordinal));
        }

        var json = await GetJsonAsync($"/api/v1/agreements/{id}");
        Assert.StartsWith("bad", json["title"]!["ja"]!.GetValue<string>());
        using var csv = await Client.GetAsync("/api/v1/agreements?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
    }
}
