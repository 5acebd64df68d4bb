using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Contract;

/// <summary>/ leads partner-website developers to a reference to read (ReDoc over the same document) and to Swagger UI.</summary>
public sealed class ReferenceDocsTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Root_WhenRequested_ShouldLinkTheReferenceSwaggerUiAndTheDocument()
    {
        using var response = await Client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("href=\"swagger/reference/\"", html);
        Assert.Contains("href=\"swagger/\"", html);
        Assert.Contains("href=\"swagger/v1/swagger.json\"", html);
    }

    [Fact]
    public async Task Reference_WhenRequested_ShouldServeReDocOverTheServedDocumentWithItsOwnScripts()
    {
        using var page = await Client.GetAsync("/swagger/reference/index.html");
        var html = await page.Content.ReadAsStringAsync();
        var init = await Client.GetStringAsync("/swagger/reference/index.js");
        using var bundle = await Client.GetAsync("/swagger/reference/redoc.standalone.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<script src=\"redoc.standalone.js\">", html);
        Assert.Contains("Redoc.init(\"/swagger/v1/swagger.json\"", init);
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        // Served from the package: the page needs nothing from another origin, which its CSP would refuse anyway.
        Assert.Contains("script-src 'self'", string.Join(' ', page.Headers.GetValues("Content-Security-Policy")));
    }
}
