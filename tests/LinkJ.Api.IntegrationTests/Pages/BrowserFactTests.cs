namespace LinkJ.Api.IntegrationTests.Pages;

public sealed class BrowserFactTests
{
    [Theory]
    [InlineData("true", false)]
    [InlineData("TRUE", false)]
    [InlineData(null, true)]
    [InlineData("false", true)]
    public void SkipReasonIn_WhenCiOrChromiumIsThere_ShouldBeNullSoAMissingBrowserFailsInsteadOfSkipping(string? ci, bool chromium) =>
        Assert.Null(BrowserFixture.SkipReasonIn(name => name == "CI" ? ci : null, _ => chromium));

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    [InlineData("")]
    public void SkipReasonIn_WhenNeitherCiNorChromium_ShouldSaySoADeveloperMayRunWithoutIt(string? ci) =>
        Assert.Contains("No Chromium", BrowserFixture.SkipReasonIn(name => name == "CI" ? ci : null, _ => false));
}
