using LinkJ.Domain.Common;

namespace LinkJ.Domain.Tests.Common;

public sealed class BilingualTextTests
{
    [Fact]
    public void Create_WhenJapaneseAndEnglishGiven_ShouldKeepBoth()
    {
        var text = BilingualText.Create("大阪府", "Osaka Prefecture");

        Assert.Equal("大阪府", text.Ja);
        Assert.Equal("Osaka Prefecture", text.En);
    }

    [Fact]
    public void Create_WhenOnlyJapaneseGiven_ShouldHaveNoEnglish()
    {
        var text = BilingualText.Create("川崎市");

        Assert.Equal("川崎市", text.Ja);
        Assert.Null(text.En);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Create_WhenJapaneseMissing_ShouldThrowJapaneseTextRequired(string? ja)
    {
        var error = Assert.Throws<DomainException>(() => BilingualText.Create(ja, "Osaka Prefecture")).Error;

        Assert.Equal("text.ja-required", error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("   ")]
    [InlineData("\t")]
    [InlineData("\n \t ")]
    [InlineData("\u3000")] // ideographic space, the full-width space of Japanese text
    public void Create_WhenJapaneseWhitespaceOnly_ShouldThrowJapaneseTextRequired(string ja)
    {
        var code = Assert.Throws<DomainException>(() => BilingualText.Create(ja, "Osaka Prefecture")).Error.Code;

        Assert.Equal("text.ja-required", code);
    }

    [Theory]
    [InlineData("  大阪府  ", "  Osaka Prefecture ", "大阪府", "Osaka Prefecture")]
    [InlineData("\t横浜市\n", "\nYokohama City\t", "横浜市", "Yokohama City")]
    [InlineData("\u3000川崎市\u3000", " Kawasaki City", "川崎市", "Kawasaki City")]
    [InlineData("関西 圏", "Kansai  region", "関西 圏", "Kansai  region")]
    public void Create_WhenTextsHaveSurroundingWhitespace_ShouldTrimOnlyTheEnds(string ja, string en, string expectedJa, string expectedEn)
    {
        var text = BilingualText.Create(ja, en);

        Assert.Equal(expectedJa, text.Ja);
        Assert.Equal(expectedEn, text.En);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Create_WhenEnglishEmptyOrWhitespace_ShouldStoreNull(string? en)
    {
        var text = BilingualText.Create("大阪府", en);

        Assert.Null(text.En);
    }

    [Fact]
    public void Create_WhenJapaneseExactlyMaxLength_ShouldAccept()
    {
        var ja = new string('府', BilingualText.MaxLength);

        var text = BilingualText.Create(ja);

        Assert.Equal(BilingualText.MaxLength, text.Ja.Length);
    }

    [Fact]
    public void Create_WhenJapaneseTooLong_ShouldThrowTextTooLong()
    {
        var ja = new string('府', BilingualText.MaxLength + 1);

        var code = Assert.Throws<DomainException>(() => BilingualText.Create(ja)).Error.Code;

        Assert.Equal("text.too-long", code);
    }

    [Fact]
    public void Create_WhenEnglishTooLong_ShouldThrowTextTooLong()
    {
        var en = new string('a', BilingualText.MaxLength + 1);

        var code = Assert.Throws<DomainException>(() => BilingualText.Create("大阪府", en)).Error.Code;

        Assert.Equal("text.too-long", code);
    }

    [Fact]
    public void Create_WhenTooLongOnlyBeforeTrimming_ShouldAccept()
    {
        var ja = "  " + new string('府', BilingualText.MaxLength) + "  ";

        var text = BilingualText.Create(ja);

        Assert.Equal(BilingualText.MaxLength, text.Ja.Length);
    }

    [Theory]
    [InlineData("UCSD", 3)]
    [InlineData("One Nucleus", 10)]
    public void Create_WhenLongerThanCustomMaxLength_ShouldThrowTextTooLong(string ja, int maxLength)
    {
        var code = Assert.Throws<DomainException>(() => BilingualText.Create(ja, null, maxLength)).Error.Code;

        Assert.Equal("text.too-long", code);
    }

    [Fact]
    public void Create_WhenEnglishLongerThanCustomMaxLength_ShouldThrowTextTooLong()
    {
        var code = Assert.Throws<DomainException>(() => BilingualText.Create("UCSD", "University of California San Diego", 12)).Error.Code;

        Assert.Equal("text.too-long", code);
    }

    [Fact]
    public void Create_WhenCustomMaxLengthIsMet_ShouldAccept()
    {
        var text = BilingualText.Create("UCSD", "UC San Diego", maxLength: 12);

        Assert.Equal("UCSD", text.Ja);
        Assert.Equal("UC San Diego", text.En);
    }

    [Theory]
    [InlineData(0x0000)] // NUL
    [InlineData(0x0007)] // BEL
    [InlineData(0x0008)] // backspace
    [InlineData(0x000B)] // vertical tab
    [InlineData(0x000C)] // form feed
    [InlineData(0x000D)] // carriage return
    [InlineData(0x001B)] // escape
    [InlineData(0x007F)] // DEL
    [InlineData(0x0085)] // next line (C1)
    [InlineData(0x009F)] // application program command (C1)
    public void Create_WhenJapaneseHasControlCharacter_ShouldThrowTextControlCharacters(int codePoint)
    {
        var ja = "大阪" + (char)codePoint + "府";

        var code = Assert.Throws<DomainException>(() => BilingualText.Create(ja)).Error.Code;

        Assert.Equal("text.control-characters", code);
    }

    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x000D)]
    [InlineData(0x001B)]
    public void Create_WhenEnglishHasControlCharacter_ShouldThrowTextControlCharacters(int codePoint)
    {
        var en = "Osaka" + (char)codePoint + "Prefecture";

        var code = Assert.Throws<DomainException>(() => BilingualText.Create("大阪府", en)).Error.Code;

        Assert.Equal("text.control-characters", code);
    }

    [Theory]
    [InlineData("刊行物、資料、\n情報の交換")]
    [InlineData("年月\t団体・組織名")]
    public void Create_WhenTextHasInnerNewlineOrTab_ShouldKeepIt(string ja)
    {
        var text = BilingualText.Create(ja);

        Assert.Equal(ja, text.Ja);
    }

    [Theory]
    [InlineData("", 0xD800, "")] // lone high surrogate, the whole text
    [InlineData("", 0xDC00, "")] // lone low surrogate, the whole text
    [InlineData("大阪", 0xD800, "府")] // high surrogate followed by a non-surrogate
    [InlineData("大阪", 0xDBFF, "")] // high surrogate at the very end
    [InlineData("大阪", 0xDFFF, "府")] // low surrogate without a high one
    public void Create_WhenJapaneseHasUnpairedSurrogate_ShouldThrowTextControlCharacters(string before, int surrogate, string after)
    {
        var ja = before + (char)surrogate + after;

        var code = Assert.Throws<DomainException>(() => BilingualText.Create(ja)).Error.Code;

        Assert.Equal("text.control-characters", code);
    }

    [Fact]
    public void Create_WhenSurrogatesAreInReverseOrder_ShouldThrowTextControlCharacters()
    {
        var ja = "大阪" + "\uDC00\uD800";

        var code = Assert.Throws<DomainException>(() => BilingualText.Create(ja)).Error.Code;

        Assert.Equal("text.control-characters", code);
    }

    [Fact]
    public void Create_WhenEnglishHasUnpairedSurrogate_ShouldThrowTextControlCharacters()
    {
        var en = "Osaka " + (char)0xD800;

        var code = Assert.Throws<DomainException>(() => BilingualText.Create("大阪府", en)).Error.Code;

        Assert.Equal("text.control-characters", code);
    }

    [Theory]
    [InlineData("𠮷野家")] // U+20BB7, outside the BMP: a valid surrogate pair
    [InlineData("大阪府 🧬")] // U+1F9EC, a valid pair at the end
    [InlineData("𠀋𡈽")] // two pairs back to back
    public void Create_WhenTextHasValidSurrogatePairs_ShouldAccept(string ja)
    {
        var text = BilingualText.Create(ja);

        Assert.Equal(ja, text.Ja);
    }

    [Fact]
    public void In_WhenEnglishWantedAndPresent_ShouldGiveEnglish()
    {
        var text = BilingualText.Create("大阪府", "Osaka Prefecture");

        Assert.Equal("Osaka Prefecture", text.In(Language.English));
    }

    [Fact]
    public void In_WhenJapaneseWanted_ShouldGiveJapanese()
    {
        var text = BilingualText.Create("大阪府", "Osaka Prefecture");

        Assert.Equal("大阪府", text.In(Language.Japanese));
    }

    [Fact]
    public void In_WhenEnglishWantedButMissing_ShouldFallBackToJapanese()
    {
        var text = BilingualText.Create("慶應義塾大学先端生命科学研究所");

        Assert.Equal("慶應義塾大学先端生命科学研究所", text.In(Language.English));
    }

    [Fact]
    public void In_WhenEnglishWasWhitespaceOnly_ShouldFallBackToJapanese()
    {
        var text = BilingualText.Create("川崎市", "   ");

        Assert.Equal("川崎市", text.In(Language.English));
    }

    [Theory]
    [InlineData("Osaka Prefecture", Language.Japanese, Language.Japanese)]
    [InlineData("Osaka Prefecture", Language.English, Language.English)]
    [InlineData(null, Language.Japanese, Language.Japanese)]
    [InlineData(null, Language.English, Language.Japanese)]
    [InlineData("  ", Language.English, Language.Japanese)]
    public void Resolve_WhenLanguageWanted_ShouldTellWhichLanguageInGives(string? en, Language wanted, Language expected)
    {
        var text = BilingualText.Create("大阪府", en);

        var resolved = text.Resolve(wanted);

        Assert.Equal(expected, resolved);
        Assert.Equal(resolved == Language.English ? text.En : text.Ja, text.In(wanted));
    }

    [Fact]
    public void Equals_WhenSameTextsAfterTrimming_ShouldBeEqual()
    {
        var a = BilingualText.Create("大阪府", "Osaka Prefecture");
        var b = BilingualText.Create(" 大阪府 ", "Osaka Prefecture ");

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData("大阪府", "Osaka")]
    [InlineData("大阪府", null)]
    [InlineData("大阪市", "Osaka Prefecture")]
    public void Equals_WhenTextsDiffer_ShouldNotBeEqual(string ja, string? en)
    {
        var osaka = BilingualText.Create("大阪府", "Osaka Prefecture");

        Assert.NotEqual(osaka, BilingualText.Create(ja, en));
    }
}
