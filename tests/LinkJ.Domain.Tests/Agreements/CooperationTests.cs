using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;

namespace LinkJ.Domain.Tests.Agreements;

public sealed class CooperationTests
{
    // Osaka Prefecture's items in the 2020 release: 活動、イベント、プログラム等における共催、協賛、告知等の協力 /
    // 刊行物、資料、情報の交換・発信 / 国内外の健康・医療クラスター等との連携推進 等.
    private static readonly string[] OsakaScopes = ["event-cooperation", "publication-exchange", "cluster-collaboration"];

    private static List<string> Codes(int count) => [.. Enumerable.Range(1, count).Select(i => $"scope-{i}")];

    [Fact]
    public void Create_WhenValidScopes_ShouldKeepThemInOrder()
    {
        var cooperation = Cooperation.Create(OsakaScopes, isOpenEnded: true, note: "情報の交換・発信 (exchange and dissemination)");

        Assert.Equal(OsakaScopes, cooperation.Scopes);
        Assert.True(cooperation.IsOpenEnded);
        Assert.Equal("情報の交換・発信 (exchange and dissemination)", cooperation.Note);
    }

    [Fact]
    public void Create_WhenDefaults_ShouldBeClosedWithoutNote()
    {
        // MedCity's list is the one in the table that does not end in 等.
        var cooperation = Cooperation.Create(["publication-exchange", "short-term-programs", "event-cooperation"]);

        Assert.False(cooperation.IsOpenEnded);
        Assert.Null(cooperation.Note);
    }

    [Fact]
    public void Create_WhenNoScopes_ShouldThrowScopeRequired()
    {
        var error = Assert.Throws<DomainException>(() => Cooperation.Create([])).Error;

        Assert.Equal("agreement.scope-required", error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }

    [Theory]
    [InlineData("publication-exchange", "publication-exchange")]
    [InlineData("publication-exchange", "mutual-visits", "publication-exchange")]
    [InlineData("member-services", "publication-exchange", "joint-events", "joint-events")]
    public void Create_WhenScopeListedTwice_ShouldThrowDuplicateScope(params string[] scopes)
    {
        var code = Assert.Throws<DomainException>(() => Cooperation.Create(scopes)).Error.Code;

        Assert.Equal("agreement.duplicate-scope", code);
    }

    [Fact]
    public void Create_WhenMaxScopes_ShouldAccept()
    {
        var cooperation = Cooperation.Create(Codes(AgreementErrors.MaxScopes));

        Assert.Equal(AgreementErrors.MaxScopes, cooperation.Scopes.Count);
    }

    [Fact]
    public void Create_WhenTooManyScopes_ShouldThrowTooManyScopes()
    {
        var scopes = Codes(AgreementErrors.MaxScopes + 1);

        var code = Assert.Throws<DomainException>(() => Cooperation.Create(scopes)).Error.Code;

        Assert.Equal("agreement.too-many-scopes", code);
    }

    [Theory]
    [InlineData("Publication-Exchange")]
    [InlineData("publication exchange")]
    [InlineData("publication--exchange")]
    [InlineData("-publication-exchange")]
    [InlineData("publication-exchange-")]
    [InlineData("")]
    [InlineData("刊行物、資料、情報の交換")]
    public void Create_WhenScopeCodeIsNotASlug_ShouldThrowSlugInvalidForScopes(string invalid)
    {
        var error = Assert.Throws<DomainException>(() => Cooperation.Create(["publication-exchange", invalid])).Error;

        Assert.Equal("slug.invalid", error.Code);
        Assert.Equal("scopes", error.Field);
    }

    [Fact]
    public void Create_WhenScopeCodeHasTrailingNewline_ShouldThrowSlugInvalidForScopes()
    {
        var error = Assert.Throws<DomainException>(() => Cooperation.Create(["publication-exchange\n"])).Error;

        Assert.Equal("slug.invalid", error.Code);
    }

    [Theory]
    [InlineData("  相互訪問、相互施設利用  ", "相互訪問、相互施設利用")]
    [InlineData("\nなどにおける協力\t", "などにおける協力")]
    public void Create_WhenNoteHasSurroundingWhitespace_ShouldTrimIt(string note, string expected)
    {
        var cooperation = Cooperation.Create(OsakaScopes, true, note);

        Assert.Equal(expected, cooperation.Note);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_WhenNoteIsBlank_ShouldStoreNull(string note)
    {
        Assert.Null(Cooperation.Create(OsakaScopes, true, note).Note);
    }

    [Fact]
    public void Create_WhenNoteTooLong_ShouldThrowTextTooLong()
    {
        var note = new string('等', AgreementErrors.MaxNoteLength + 1);

        var code = Assert.Throws<DomainException>(() => Cooperation.Create(OsakaScopes, true, note)).Error.Code;

        Assert.Equal("text.too-long", code);
    }

    [Fact]
    public void Create_WhenNoteExactlyMaxLength_ShouldAccept()
    {
        var note = new string('等', AgreementErrors.MaxNoteLength);

        Assert.Equal(note, Cooperation.Create(OsakaScopes, true, note).Note);
    }

    [Fact]
    public void Create_WhenNoteHasControlCharacter_ShouldThrowTextControlCharacters()
    {
        var code = Assert.Throws<DomainException>(() => Cooperation.Create(OsakaScopes, true, "相互訪問\u0000")).Error.Code;

        Assert.Equal("text.control-characters", code);
    }

    [Fact]
    public void Create_WhenSourceListChangesAfterwards_ShouldKeepItsOwnCopy()
    {
        var source = new List<string>(OsakaScopes);
        var cooperation = Cooperation.Create(source);

        source.Add("mutual-visits");
        source[0] = "joint-events";

        Assert.Equal(OsakaScopes, cooperation.Scopes);
    }

    [Fact]
    public void Equals_WhenSameScopesFlagAndNote_ShouldBeEqual()
    {
        var a = Cooperation.Create(OsakaScopes, true, "note");
        var b = Cooperation.Create([.. OsakaScopes], true, " note ");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_WhenScopesInAnotherOrder_ShouldNotBeEqual()
    {
        var a = Cooperation.Create(["publication-exchange", "mutual-visits"]);
        var b = Cooperation.Create(["mutual-visits", "publication-exchange"]);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Equals_WhenOpenEndedOrNoteDiffers_ShouldNotBeEqual()
    {
        var closed = Cooperation.Create(OsakaScopes, false);

        Assert.NotEqual(closed, Cooperation.Create(OsakaScopes, true));
        Assert.NotEqual(closed, Cooperation.Create(OsakaScopes, false, "等"));
    }
}
