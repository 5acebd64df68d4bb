using System.Net;
using System.Net.Http.Headers;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Infrastructure.Contract;

namespace LinkJ.Api.IntegrationTests.Contract;

/// <summary>
/// CSV has operations of its own, so each JSON list has one response type in the document; a list asked for CSV
/// (?format=csv, or an Accept preferring text/csv) answers 303 See Other to its export with the same filters.
/// </summary>
public sealed class CsvOperationTests(ApiFactory factory) : ApiTest(factory)
{
    [Theory]
    [InlineData("/api/v1/agreements?country=JP&format=csv&limit=2", null, "/api/v1/agreements/export.csv?country=JP")]
    [InlineData("/api/v1/partners?kind=local-government", "text/csv", "/api/v1/partners/export.csv?kind=local-government")]
    public async Task List_WhenCsvIsAskedFor_ShouldAnswer303ToItsExportWithTheSameFilters(string url, string? accept, string location)
    {
        // Checked against the document, but without following redirects.
        using var client = Factory.CreateDefaultClient(new ContractValidatingHandler(Factory.ContractAsync));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Export_WhenFollowedFromTheList_ShouldGiveTheFilteredRecordsAsCsv()
    {
        using var response = await Client.GetAsync("/api/v1/agreements?partnerKind=local-government&format=csv");
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("/api/v1/agreements/export.csv", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(1 + 3, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // the header and Kawasaki, Yokohama, Osaka
    }
}
