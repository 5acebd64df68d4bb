using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace LinkJ.Api.IntegrationTests.Pages;

/// <summary>
/// Issue 19 in a real browser (headless Chromium through Playwright for .NET): the partnerships page and the widget
/// render the 13 partnerships in both languages, the filters work by form and keyboard, the widget loads from another
/// origin (CORS), and axe-core finds no accessibility violation. With LINKJ_SCREENSHOTS=DIR the page's screenshots are
/// written there (docs/screenshots was made so).
/// </summary>
public sealed class PartnershipsBrowserTests(ApiFactory factory, BrowserFixture browser) : WriteTest(factory), IClassFixture<BrowserFixture>
{
    private static readonly string[] LocalGovernmentsEn = ["Kawasaki City", "City of Yokohama", "Osaka Prefecture"];

    private async Task<IPage> OpenAsync(string url, List<string>? console = null)
    {
        await browser.StartAsync(Factory);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        if (console is not null)
        {
            page.Console += (_, message) => console.Add(message.Type + ": " + message.Text);
            page.PageError += (_, error) => console.Add("pageerror: " + error);
        }

        var target = url.StartsWith("http", StringComparison.Ordinal) ? new Uri(url) : new Uri(browser.ApiOrigin, url);
        var response = await page.GotoAsync(target.ToString());
        Assert.NotNull(response);
        return page;
    }

    /// <summary>How long a submitted form's page may take to show: Playwright's own navigation timeout, since on a loaded
    /// machine (2 cores, several test runs at once) the round trip and rendering legitimately take seconds.</summary>
    private const float NavigationTimeout = 30_000;

    /// <summary>
    /// Waits until the page a form submission led to shows: its URL has <paramref name="query"/> and its table has
    /// <paramref name="rows"/> rows (a count the page before did not have). Both are polled, as the user would see them,
    /// not awaited as the "load" lifecycle event, which <c>WaitForURLAsync</c> waits for once the URL matches: on a loaded
    /// machine Playwright once never reported "load" for the submitted form's page (committed, its URL already there):
    /// the wait saw only "networkidle" and ran out at 30 s. What the test is about is what the page shows.
    /// </summary>
    private static async Task SubmittedAsync(IPage page, string query, int rows)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(query)),
            new PageAssertionsToHaveURLOptions { Timeout = NavigationTimeout });
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(rows, new LocatorAssertionsToHaveCountOptions { Timeout = NavigationTimeout });
    }

    private static async Task AssertNoAxeViolationsAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
        });
        var violations = result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))}");
        Assert.True(result.Violations.Length == 0, "axe-core: " + string.Join("\n", violations));
        Assert.True(result.Passes.Length > 10, "axe-core ran no rule");
    }

    /// <summary>A public document of an agreement is linked in the page's documents cell, and what the browser downloads is the stored file, byte for byte.</summary>
    [BrowserFact]
    public async Task Page_WhenAnAgreementHasAStoredDocument_ShouldDownloadItWithTheSameSha256()
    {
        var osaka = LinkJ.Application.Seed.SeedIds.Agreement("osaka-prefecture");
        var file = new byte[48 * 1024];
        new Random(19).NextBytes(file);
        "%PDF-1.7\n"u8.CopyTo(file);
        var key = await CreateKeyAsync("agreements:write");
        using var read = await Client.GetAsync($"/api/v1/agreements/{osaka}");
        var content = new System.Net.Http.ByteArrayContent(file);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        var upload = Request(HttpMethod.Post, $"/api/v1/agreements/{osaka}/documents", key, ifMatch: read.Headers.ETag!.Tag);
        upload.Content = new System.Net.Http.MultipartFormDataContent
        {
            { new System.Net.Http.StringContent("signed-mou"), "kind" },
            { new System.Net.Http.StringContent("大阪府との覚書（署名版）"), "titleJa" },
            { new System.Net.Http.StringContent("Signed MOU with Osaka Prefecture"), "titleEn" },
            { new System.Net.Http.StringContent("ja"), "language" },
            { new System.Net.Http.StringContent("public"), "visibility" },
            { content, "file", "覚書.pdf" },
        };
        using var uploaded = await Client.SendAsync(upload);
        Assert.Equal(System.Net.HttpStatusCode.Created, uploaded.StatusCode);

        var page = await OpenAsync("/en/partnerships");
        var link = page.Locator("tbody tr.latest td.documents a[type='application/pdf']");
        Assert.Equal("Signed MOU with Osaka Prefecture", (await link.InnerTextAsync()).Trim());
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var path = await download.PathAsync();

        Assert.Equal("覚書.pdf", download.SuggestedFilename);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file)),
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(path))));
        await page.Context.CloseAsync();
    }

    [BrowserTheory]
    [InlineData("/partnerships", "ja", "大阪府", "13例目", "自治体との3例目")]
    [InlineData("/en/partnerships", "en", "Osaka Prefecture", "13th", "3rd with a local government")]
    public async Task Page_WhenOpened_ShouldShowThe13PartnershipsStyledUnderItsCspWithNoAxeViolation(
        string path, string lang, string osaka, string overall, string withinKind)
    {
        var console = new List<string>();
        var page = await OpenAsync(path, console);

        Assert.Equal(lang, await page.GetAttributeAsync("html", "lang"));
        Assert.Equal(13, await page.Locator("tbody tr").CountAsync());
        var latest = page.Locator("tbody tr.latest");
        Assert.Equal(1, await latest.CountAsync());
        var latestText = await latest.InnerTextAsync();
        Assert.Contains(osaka, latestText);
        Assert.Contains(overall, latestText);
        Assert.Contains(withinKind, latestText);
        // The inline style applied: the CSP's hash matches, and nothing was refused.
        Assert.Equal("collapse", await page.EvalOnSelectorAsync<string>("table", "t => getComputedStyle(t).borderCollapse"));
        if (lang == "ja")
        {
            Assert.Equal("strict", await page.EvalOnSelectorAsync<string>("td", "td => getComputedStyle(td).lineBreak"));
        }

        Assert.DoesNotContain(console, line => line.Contains("Content Security Policy", StringComparison.Ordinal) || line.StartsWith("pageerror", StringComparison.Ordinal));
        await AssertNoAxeViolationsAsync(page);

        if (Environment.GetEnvironmentVariable("LINKJ_SCREENSHOTS") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"partnerships-{lang}.png"), FullPage = false });
        }

        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Page_WhenTheFormIsSubmitted_ShouldShowOnlyTheMatchingRows()
    {
        var page = await OpenAsync("/en/partnerships");

        await page.SelectOptionAsync("select[name=partnerKind]", "local-government");
        await page.ClickAsync("button[type=submit]");
        // The result page is there when its rows are: 3, where the page before had 13.
        await SubmittedAsync(page, "partnerKind=local-government", rows: 3);

        var names = await page.Locator("tbody th").AllInnerTextsAsync();
        Assert.Equal(LocalGovernmentsEn, names.Select(n => n.Replace("Latest", "", StringComparison.Ordinal).Trim()));
        Assert.Equal("local-government", await page.InputValueAsync("select[name=partnerKind]"));

        await page.SelectOptionAsync("select[name=year]", "2020");
        await page.ClickAsync("button[type=submit]");
        await SubmittedAsync(page, "year=2020", rows: 1);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Page_WhenAFilterIsBad_ShouldShowWhyIn400HtmlWithNoAxeViolation()
    {
        await browser.StartAsync(Factory);
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(new Uri(browser.ApiOrigin, "/en/partnerships?year=20x0").ToString());

        Assert.Equal(400, response!.Status);
        Assert.Contains("A year is four digits", await page.Locator(".problems").InnerTextAsync());
        Assert.Equal(0, await page.Locator("table").CountAsync());
        await AssertNoAxeViolationsAsync(page);
        await context.CloseAsync();
    }

    [BrowserFact]
    public async Task Page_WhenUsedWithTheKeyboard_ShouldReachTheFiltersWithVisibleFocusAndSubmitThem()
    {
        var page = await OpenAsync("/partnerships");

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip", await page.EvaluateAsync<string>("() => document.activeElement.className"));
        var focused = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            focused.Add(await page.EvaluateAsync<string>("() => document.activeElement.name || document.activeElement.tagName"));
            if (focused[^1] == "partnerKind")
            {
                Assert.Equal("solid", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
            }
        }

        Assert.Equal(["A", "country", "partnerKind", "year", "BUTTON"], focused.Take(5));
        await page.SelectOptionAsync("select[name=country]", "GB");
        await page.FocusAsync("button[type=submit]");
        await page.Keyboard.PressAsync("Enter");
        await SubmittedAsync(page, "country=GB", rows: 3);
        await page.Context.CloseAsync();
    }

    [BrowserTheory]
    [InlineData("ja", "/partnerships")]
    [InlineData("en", "/en/partnerships")]
    public async Task Widget_OnAPartnerSiteOfAnotherOrigin_ShouldRenderThePagesListWithNoAxeViolation(string lang, string pagePath)
    {
        var reference = await OpenAsync(pagePath);
        var expectedNames = await reference.Locator("tbody th").AllInnerTextsAsync();
        var expectedCountries = await reference.Locator("tbody td:nth-child(3)").AllInnerTextsAsync();
        await reference.Context.CloseAsync();

        var console = new List<string>();
        var page = await OpenAsync(new Uri(browser.PartnerOrigin, "/?lang=" + lang).ToString(), console);
        Assert.NotEqual(new Uri(page.Url).Authority, browser.ApiOrigin.Authority);
        var rows = page.Locator("linkj-partnerships tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(13);

        Assert.Equal(expectedNames, await page.Locator("linkj-partnerships tbody th").AllInnerTextsAsync());
        Assert.Equal(expectedCountries, await page.Locator("linkj-partnerships tbody td:nth-child(3)").AllInnerTextsAsync());
        Assert.Equal(1, await page.Locator("linkj-partnerships tr.latest").CountAsync());
        // Its styles stay in its shadow root: the partner's own table rules and fonts are untouched.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.styleSheets.length"));
        Assert.DoesNotContain(console, line => line.StartsWith("error", StringComparison.Ordinal) || line.StartsWith("pageerror", StringComparison.Ordinal));
        await AssertNoAxeViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Widget_WhenFilteredByCountry_ShouldShowOnlyThatCountrysPartnerships()
    {
        var page = await OpenAsync(new Uri(browser.PartnerOrigin, "/?lang=en&country=US").ToString());

        await Assertions.Expect(page.Locator("linkj-partnerships tbody tr")).ToHaveCountAsync(3);
        Assert.All(await page.Locator("linkj-partnerships tbody td:nth-child(3)").AllInnerTextsAsync(), country => Assert.Equal("United States", country));
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Widget_WhileLoadingAndWhenTheApiFails_ShouldSayItInItsLanguage()
    {
        await browser.StartAsync(Factory);
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/api/v1/agreements?*", async route =>
        {
            await release.Task;
            await route.FulfillAsync(new RouteFulfillOptions { Status = 503, ContentType = "application/problem+json", Body = "{}" });
        });

        await page.GotoAsync(new Uri(browser.PartnerOrigin, "/?lang=en").ToString());
        var shadowStatus = page.Locator("linkj-partnerships [role=status]");
        await Assertions.Expect(shadowStatus).ToHaveTextAsync("Loading partnerships…");
        release.SetResult();
        await Assertions.Expect(page.Locator("linkj-partnerships [role=alert]")).ToContainTextAsync("could not be loaded");
        Assert.Equal(0, await page.Locator("linkj-partnerships table").CountAsync());
        await context.CloseAsync();
    }
}
