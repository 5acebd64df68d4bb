using LinkJ.Domain.Common;

namespace LinkJ.Domain.Tests.Common;

public sealed class SlugTests
{
    [Theory]
    [InlineData("osaka-prefecture")]
    [InlineData("ucla")]
    [InlineData("one-nucleus")]
    [InlineData("kobe-biomedical-innovation-cluster")]
    [InlineData("link-j-west-2020")]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("a-b-c")]
    [InlineData("2020-09-07")]
    public void Create_WhenValid_ShouldKeepTheValue(string value)
    {
        var slug = Slug.Create(value);

        Assert.Equal(value, slug.Value);
        Assert.Equal(value, slug.ToString());
        Assert.True(Slug.IsValid(value));
    }

    [Fact]
    public void Create_WhenExactlyMaxLength_ShouldAccept()
    {
        var value = new string('a', Slug.MaxLength);

        Assert.Equal(value, Slug.Create(value).Value);
    }

    [Fact]
    public void Create_WhenMaxLengthWithHyphens_ShouldAccept()
    {
        var value = string.Join('-', Enumerable.Repeat("ab", 27)); // 27 * 2 + 26 = 80

        Assert.Equal(Slug.MaxLength, value.Length);
        Assert.Equal(value, Slug.Create(value).Value);
    }

    [Theory]
    [InlineData("Osaka")] // upper case
    [InlineData("osaka-Prefecture")]
    [InlineData("-a")] // leading hyphen
    [InlineData("a-")] // trailing hyphen
    [InlineData("a--b")] // double hyphen
    [InlineData("-")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(" osaka")]
    [InlineData("osaka ")]
    [InlineData("osaka prefecture")]
    [InlineData("osaka_prefecture")]
    [InlineData("osaka.prefecture")]
    [InlineData("osaka/prefecture")]
    [InlineData("大阪府")]
    [InlineData("ｏｓａｋａ")] // full-width letters
    [InlineData("café")]
    public void Create_WhenNotLowercaseLettersDigitsAndSingleInnerHyphens_ShouldThrowSlugInvalid(string value)
    {
        var error = Assert.Throws<DomainException>(() => Slug.Create(value)).Error;

        Assert.Equal("slug.invalid", error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.False(Slug.IsValid(value));
    }

    [Fact]
    public void Create_WhenLongerThanMaxLength_ShouldThrowSlugInvalid()
    {
        var value = new string('a', Slug.MaxLength + 1);

        var code = Assert.Throws<DomainException>(() => Slug.Create(value)).Error.Code;

        Assert.Equal("slug.invalid", code);
    }

    [Fact]
    public void Create_WhenNull_ShouldThrowSlugInvalid()
    {
        var code = Assert.Throws<DomainException>(() => Slug.Create(null)).Error.Code;

        Assert.Equal("slug.invalid", code);
    }

    [Theory]
    [InlineData("osaka-prefecture\n")]
    [InlineData("ucla\n")]
    public void Create_WhenTrailingNewline_ShouldThrowSlugInvalid(string value)
    {
        var code = Assert.Throws<DomainException>(() => Slug.Create(value)).Error.Code;

        Assert.Equal("slug.invalid", code);
    }

    [Fact]
    public void Equals_WhenSameValue_ShouldBeEqual()
    {
        Assert.Equal(Slug.Create("osaka-prefecture"), Slug.Create("osaka-prefecture"));
        Assert.NotEqual(Slug.Create("osaka-prefecture"), Slug.Create("osaka-city"));
    }
}
