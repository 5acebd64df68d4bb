using System.Net;
using System.Text;
using System.Xml.Linq;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.VisualBasic.FileIO;

namespace LinkJ.Api.IntegrationTests.Reads;

/// <summary>CSV (RFC 4180, UTF-8 with BOM) and Atom (RFC 4287) forms of the lists.</summary>
public sealed class ExportFormatTests(ApiFactory factory) : ApiTest(factory)
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Theory]
    [InlineData("/api/v1/agreements?format=csv", null)]
    [InlineData("/api/v1/agreements", "text/csv")]
    public async Task ListAgreements_WhenCsvRequested_ShouldGiveOneParsableRowPerAgreementWithJapaneseIntact(string url, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.Add("Accept", accept);
        }

        using var response = await Client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var rows = Parse(bytes);
        Assert.Equal(14, rows.Count); // header + 13, though the default page size is 20 and the limit does not apply
        var header = rows[0];
        var osaka = rows.Single(r => r[header.IndexOf("partner_slug")] == "osaka-prefecture");
        Assert.Equal("大阪府", osaka[header.IndexOf("partner_name_ja")]);
        Assert.Equal("2020-09-07", osaka[header.IndexOf("signed_on")]);
        Assert.Equal("event-cooperation;publication-exchange-dissemination;health-medical-cluster-collaboration", osaka[header.IndexOf("scopes")]);
        Assert.Equal("13", osaka[header.IndexOf("ordinal")]);
        var krp = rows.Single(r => r[header.IndexOf("partner_slug")] == "kyoto-research-park");
        Assert.Contains("活動、イベント、プログラム等における共催、協賛、告知等の協力", krp[header.IndexOf("scope_labels")]); // commas inside a quoted field
    }

    [Fact]
    public async Task ListPartners_WhenCsvRequestedWithAFilter_ShouldExportOnlyTheMatches()
    {
        using var response = await Client.GetAsync("/api/v1/partners?format=csv&country=GB");

        var rows = Parse(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(["one-nucleus", "medcity", "oxford-university-innovation"], rows.Skip(1).Select(r => r[rows[0].IndexOf("slug")]));
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
    }

    [Fact]
    public async Task ListAgreements_WhenFormatUnknown_ShouldReturn400()
    {
        await GetProblemAsync("/api/v1/agreements?format=xml", HttpStatusCode.BadRequest, "format.unsupported");
    }

    [Theory]
    [InlineData("ja", "LINK-J の提携", "大阪府")]
    [InlineData("en", "LINK-J partnerships", "Osaka Prefecture")]
    public async Task AtomFeed_WhenRequested_ShouldBeAValidAtomFeedNewestFirstInTheLanguage(string lang, string title, string firstPartner)
    {
        using var response = await Client.GetAsync($"/api/v1/agreements/feed.atom?lang={lang}");
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync()); // well-formed

        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        var feed = xml.Root!;
        Assert.Equal(Atom + "feed", feed.Name);
        Assert.Equal(lang, feed.Attribute(XNamespace.Xml + "lang")!.Value);
        // RFC 4287 §4.1.1: exactly one id, title and updated; an author (here at feed level); entries with id, title, updated, a link
        Assert.Single(feed.Elements(Atom + "id"));
        Assert.Equal(title, Assert.Single(feed.Elements(Atom + "title")).Value);
        Assert.True(DateTimeOffset.TryParse(Assert.Single(feed.Elements(Atom + "updated")).Value, out _));
        Assert.NotEmpty(feed.Elements(Atom + "author").Elements(Atom + "name"));
        var entries = feed.Elements(Atom + "entry").ToList();
        Assert.Equal(13, entries.Count);
        Assert.All(entries, entry =>
        {
            Assert.StartsWith("urn:uuid:", Assert.Single(entry.Elements(Atom + "id")).Value);
            Assert.Single(entry.Elements(Atom + "title"));
            Assert.True(DateTimeOffset.TryParse(Assert.Single(entry.Elements(Atom + "updated")).Value, out _));
            Assert.Contains(entry.Elements(Atom + "link"), link => link.Attribute("rel")?.Value == "alternate");
        });
        Assert.Equal(entries.Count, entries.Select(e => e.Element(Atom + "id")!.Value).Distinct().Count());
        Assert.Contains(firstPartner, entries[0].Element(Atom + "summary")!.Value); // newest first: Osaka 2020-09-07
        Assert.Contains("2016-05", entries[^1].Element(Atom + "summary")!.Value);
    }

    private static List<List<string>> Parse(byte[] csv)
    {
        using var parser = new TextFieldParser(new MemoryStream(csv), Encoding.UTF8) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var rows = new List<List<string>>();
        while (!parser.EndOfData)
        {
            rows.Add([.. parser.ReadFields()!]);
        }

        return rows;
    }
}
