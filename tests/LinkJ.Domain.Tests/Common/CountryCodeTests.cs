using LinkJ.Domain.Common;

namespace LinkJ.Domain.Tests.Common;

public sealed class CountryCodeTests
{
    [Theory]
    [InlineData("JP")] // 大阪府, 川崎市, 横浜市, KRP
    [InlineData("US")] // UCSD, BIOCOM, UCLA
    [InlineData("FR")] // Eurobiomed
    [InlineData("GB")] // One Nucleus, MedCity, OUI
    public void Create_WhenAssignedUpperCaseCode_ShouldKeepIt(string value)
    {
        var country = CountryCode.Create(value);

        Assert.Equal(value, country.Value);
        Assert.Equal(value, country.ToString());
    }

    [Theory]
    [InlineData("us", "US")]
    [InlineData("jp", "JP")]
    [InlineData("Gb", "GB")]
    [InlineData("fR", "FR")]
    public void Create_WhenLowerOrMixedCase_ShouldAcceptAndUpperCase(string value, string expected)
    {
        var country = CountryCode.Create(value);

        Assert.Equal(expected, country.Value);
    }

    [Theory]
    [InlineData("XX")] // never assigned
    [InlineData("USA")] // alpha-3
    [InlineData("J1")]
    [InlineData("")]
    [InlineData("J")]
    [InlineData("UK")] // the United Kingdom is GB
    [InlineData("EU")] // reserved, not assigned
    [InlineData(" JP")]
    [InlineData("JP ")]
    [InlineData("日本")]
    [InlineData("ＪＰ")] // full-width letters
    [InlineData("81")]
    public void Create_WhenNotAnAssignedAlpha2Code_ShouldThrowCountryInvalid(string value)
    {
        var error = Assert.Throws<DomainException>(() => CountryCode.Create(value)).Error;

        Assert.Equal("country.invalid", error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }

    [Fact]
    public void Create_WhenNull_ShouldThrowCountryInvalid()
    {
        var code = Assert.Throws<DomainException>(() => CountryCode.Create(null)).Error.Code;

        Assert.Equal("country.invalid", code);
    }

    [Theory]
    [InlineData("JP", true)]
    [InlineData("us", true)]
    [InlineData("XX", false)]
    [InlineData("USA", false)]
    [InlineData("J1", false)]
    [InlineData("", false)]
    public void IsValid_WhenChecked_ShouldAgreeWithCreate(string value, bool expected)
    {
        Assert.Equal(expected, CountryCode.IsValid(value));
    }

    [Theory]
    [InlineData("JP", true)]
    [InlineData("jp", true)]
    [InlineData("US", false)]
    [InlineData("GB", false)]
    public void IsJapan_WhenCreated_ShouldBeTrueOnlyForJapan(string value, bool expected)
    {
        Assert.Equal(expected, CountryCode.Create(value).IsJapan);
    }

    [Fact]
    public void Japan_ShouldBeJpAndEqualToACreatedJp()
    {
        Assert.Equal("JP", CountryCode.Japan.Value);
        Assert.True(CountryCode.Japan.IsJapan);
        Assert.Equal(CountryCode.Japan, CountryCode.Create("jp"));
    }

    [Fact]
    public void Equals_WhenSameCodeInDifferentCase_ShouldBeEqual()
    {
        Assert.Equal(CountryCode.Create("us"), CountryCode.Create("US"));
        Assert.NotEqual(CountryCode.Create("US"), CountryCode.Create("GB"));
    }
}
