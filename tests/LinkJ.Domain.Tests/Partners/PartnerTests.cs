using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Domain.Tests.Partners;

public sealed class PartnerTests
{
    private static readonly Guid PartnerId = Guid.Parse("5d0c7a52-6b1e-4e5f-9a43-0a1f2b3c4d01");
    private static readonly DateTimeOffset CreatedAt = new(2020, 9, 7, 10, 0, 0, TimeSpan.FromHours(9));
    private static readonly DateTimeOffset Later = CreatedAt.AddHours(1);
    private static readonly DateTimeOffset MuchLater = CreatedAt.AddDays(30);

    private static readonly BilingualText KobeFormerName =
        BilingualText.Create("公益財団法人先端医療振興財団", "Foundation for Biomedical Research and Innovation");

    private static readonly BilingualText KobeCurrentName =
        BilingualText.Create("公益財団法人神戸医療産業都市推進機構", "Foundation for Biomedical Research and Innovation at Kobe");

    private static PartnerDetails Osaka() => new(
        Slug.Create("osaka-prefecture"),
        BilingualText.Create("大阪府", "Osaka Prefecture"),
        null,
        PartnerKind.LocalGovernment,
        CountryCode.Create("JP"),
        BilingualText.Create("関西圏", "Kansai"),
        new Uri("https://www.pref.osaka.lg.jp/"),
        []);

    private static PartnerDetails Ucla() => new(
        Slug.Create("ucla"),
        BilingualText.Create("カリフォルニア大学ロサンゼルス校", "University of California, Los Angeles"),
        "UCLA",
        PartnerKind.University,
        CountryCode.Create("US"),
        null,
        new Uri("https://www.ucla.edu/"),
        []);

    /// <summary>The Kobe foundation as the 2018-01 MOU knew it, before its 2018-04 renaming.</summary>
    private static PartnerDetails KobeBeforeRenaming() => new(
        Slug.Create("kobe-biomedical-innovation-cluster"),
        KobeFormerName,
        "FBRI",
        PartnerKind.Foundation,
        CountryCode.Japan,
        BilingualText.Create("関西圏", "Kansai"),
        null,
        []);

    private static Partner Create(PartnerDetails details) => Partner.Create(PartnerId, details, CreatedAt);

    private static List<FormerName> FormerNames(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new FormerName(BilingualText.Create($"旧称{i}"), PartialDate.InMonth(2000 + i, 1)))];

    // ---- Create ----

    [Fact]
    public void Create_WhenValid_ShouldKeepTheDetailsAtVersionOne()
    {
        var partner = Partner.Create(PartnerId, Osaka(), CreatedAt);

        Assert.Equal(PartnerId, partner.Id);
        Assert.Equal(1, partner.Version);
        Assert.Equal(CreatedAt, partner.CreatedAt);
        Assert.Equal(CreatedAt, partner.UpdatedAt);
        Assert.False(partner.IsDeleted);
        Assert.Null(partner.DeletedAt);
        Assert.Equal("osaka-prefecture", partner.Slug.Value);
        Assert.Equal("大阪府", partner.Name.Ja);
        Assert.Equal("Osaka Prefecture", partner.Name.En);
        Assert.Null(partner.ShortName);
        Assert.Equal(PartnerKind.LocalGovernment, partner.Kind);
        Assert.Equal("JP", partner.Country.Value);
        Assert.Equal(BilingualText.Create("関西圏", "Kansai"), partner.Region);
        Assert.Equal(new Uri("https://www.pref.osaka.lg.jp/"), partner.Website);
        Assert.Empty(partner.FormerNames);
        Assert.Equal(Osaka(), partner.Describe());
    }

    [Theory]
    [InlineData(" UCLA ", "UCLA")]
    [InlineData("\tKRP\n", "KRP")]
    [InlineData("OUI", "OUI")]
    public void Create_WhenShortNameHasSurroundingWhitespace_ShouldTrimIt(string shortName, string expected)
    {
        var partner = Create(Ucla() with { ShortName = shortName });

        Assert.Equal(expected, partner.ShortName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_WhenShortNameBlank_ShouldStoreNull(string? shortName)
    {
        var partner = Create(Ucla() with { ShortName = shortName });

        Assert.Null(partner.ShortName);
    }

    [Fact]
    public void Create_WhenShortNameExactlyMaxLength_ShouldAccept()
    {
        var shortName = new string('U', PartnerErrors.MaxShortNameLength);

        Assert.Equal(shortName, Create(Ucla() with { ShortName = shortName }).ShortName);
    }

    [Fact]
    public void Create_WhenShortNameTooLong_ShouldThrowTextTooLong()
    {
        var shortName = new string('U', PartnerErrors.MaxShortNameLength + 1);

        var code = Assert.Throws<DomainException>(() => Create(Ucla() with { ShortName = shortName })).Error.Code;

        Assert.Equal("text.too-long", code);
    }

    [Fact]
    public void Create_WhenShortNameHasControlCharacter_ShouldThrowTextControlCharacters()
    {
        var code = Assert.Throws<DomainException>(() => Create(Ucla() with { ShortName = "UC\rLA" })).Error.Code;

        Assert.Equal("text.control-characters", code);
    }

    [Theory]
    [InlineData("https://www.pref.osaka.lg.jp/")]
    [InlineData("http://www.ucla.edu/")]
    [InlineData("https://www.link-j.org/")]
    [InlineData("HTTPS://WWW.MEDCITYHQ.COM/")]
    [InlineData("https://www.krp.co.jp/en/?lang=en#top")]
    public void Create_WhenWebsiteIsAbsoluteHttpOrHttps_ShouldAccept(string url)
    {
        var partner = Create(Osaka() with { Website = new Uri(url) });

        Assert.Equal(new Uri(url), partner.Website);
    }

    [Theory]
    [InlineData("ftp://ftp.link-j.org/partners")]
    [InlineData("mailto:info@link-j.org")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("urn:isbn:9784000000000")]
    [InlineData("wss://www.link-j.org/")]
    public void Create_WhenWebsiteIsNotHttpOrHttps_ShouldThrowUrlInvalid(string url)
    {
        var error = Assert.Throws<DomainException>(() => Create(Osaka() with { Website = new Uri(url) })).Error;

        Assert.Equal("url.invalid", error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }

    [Theory]
    [InlineData("www.pref.osaka.lg.jp")]
    [InlineData("/partners/osaka-prefecture")]
    [InlineData("partners/ucla")]
    public void Create_WhenWebsiteIsRelative_ShouldThrowUrlInvalid(string url)
    {
        var website = new Uri(url, UriKind.Relative);

        var code = Assert.Throws<DomainException>(() => Create(Osaka() with { Website = website })).Error.Code;

        Assert.Equal("url.invalid", code);
    }

    [Fact]
    public void Create_WhenNoWebsite_ShouldAccept()
    {
        var partner = Create(KobeBeforeRenaming());

        Assert.Null(partner.Website);
    }

    [Theory]
    [InlineData(PartnerKind.University)]
    [InlineData(PartnerKind.ResearchInstitute)]
    [InlineData(PartnerKind.IndustryAssociation)]
    [InlineData(PartnerKind.LocalGovernment)]
    [InlineData(PartnerKind.Foundation)]
    [InlineData(PartnerKind.Company)]
    [InlineData(PartnerKind.Other)]
    public void Create_WhenKindKnown_ShouldKeepIt(PartnerKind kind)
    {
        Assert.Equal(kind, Create(Osaka() with { Kind = kind }).Kind);
    }

    [Theory]
    [InlineData((PartnerKind)7)]
    [InlineData((PartnerKind)(-1))]
    public void Create_WhenKindUnknown_ShouldThrowUnknownKind(PartnerKind kind)
    {
        var code = Assert.Throws<DomainException>(() => Create(Osaka() with { Kind = kind })).Error.Code;

        Assert.Equal("partner.unknown-kind", code);
    }

    [Fact]
    public void Create_WhenMaxFormerNames_ShouldAccept()
    {
        var partner = Create(Osaka() with { FormerNames = FormerNames(PartnerErrors.MaxFormerNames) });

        Assert.Equal(PartnerErrors.MaxFormerNames, partner.FormerNames.Count);
    }

    [Fact]
    public void Create_WhenTooManyFormerNames_ShouldThrowTooManyFormerNames()
    {
        var details = Osaka() with { FormerNames = FormerNames(PartnerErrors.MaxFormerNames + 1) };

        var code = Assert.Throws<DomainException>(() => Create(details)).Error.Code;

        Assert.Equal("partner.too-many-former-names", code);
    }

    [Fact]
    public void Create_WhenFormerNameListChangesAfterwards_ShouldKeepItsOwnCopy()
    {
        var formerNames = new List<FormerName> { new(KobeFormerName, PartialDate.Parse("2018-04")) };
        var partner = Create(KobeBeforeRenaming() with { Name = KobeCurrentName, FormerNames = formerNames });

        formerNames.Clear();

        Assert.Single(partner.FormerNames);
    }

    [Theory]
    [InlineData("US", true)] // UCLA, UCSD, BIOCOM
    [InlineData("us", true)]
    [InlineData("GB", true)] // One Nucleus, MedCity, OUI
    [InlineData("FR", true)] // Eurobiomed
    [InlineData("JP", false)] // 大阪府
    [InlineData("jp", false)]
    public void IsOverseas_WhenCountryGiven_ShouldBeTrueOutsideJapan(string country, bool expected)
    {
        var partner = Create(Ucla() with { Country = CountryCode.Create(country) });

        Assert.Equal(expected, partner.IsOverseas);
    }

    [Fact]
    public void IsOverseas_WhenOverseasPartnerHasARegion_ShouldStillBeOverseas()
    {
        var partner = Create(Ucla() with { Region = BilingualText.Create("カリフォルニア州", "California") });

        Assert.True(partner.IsOverseas);
    }

    [Fact]
    public void IsOverseas_WhenJapanesePartnerHasNoRegion_ShouldNotBeOverseas()
    {
        var partner = Create(Osaka() with { Region = null });

        Assert.False(partner.IsOverseas);
    }

    // ---- Update ----

    [Fact]
    public void Update_WhenDetailsIdentical_ShouldReturnFalseAndKeepVersion()
    {
        var partner = Create(Osaka());

        var changed = partner.Update(Osaka(), Later);

        Assert.False(changed);
        Assert.Equal(1, partner.Version);
        Assert.Equal(CreatedAt, partner.UpdatedAt);
    }

    [Fact]
    public void Update_WhenGivenItsOwnDescription_ShouldReturnFalseAndKeepVersion()
    {
        var partner = Create(Ucla() with { FormerNames = FormerNames(2) });

        Assert.False(partner.Update(partner.Describe(), Later));
        Assert.Equal(1, partner.Version);
    }

    [Theory]
    [InlineData("slug")]
    [InlineData("name")]
    [InlineData("nameEnglish")]
    [InlineData("shortName")]
    [InlineData("kind")]
    [InlineData("country")]
    [InlineData("region")]
    [InlineData("website")]
    [InlineData("formerNames")]
    public void Update_WhenOneFieldChanges_ShouldReturnTrueApplyItAndBumpVersionByOne(string field)
    {
        var partner = Create(Osaka());
        var original = Osaka();
        var details = field switch
        {
            "slug" => original with { Slug = Slug.Create("osaka") },
            "name" => original with { Name = BilingualText.Create("大阪府庁", "Osaka Prefecture") },
            "nameEnglish" => original with { Name = BilingualText.Create("大阪府", "Osaka Prefectural Government") },
            "shortName" => original with { ShortName = "OPG" },
            "kind" => original with { Kind = PartnerKind.Other },
            "country" => original with { Country = CountryCode.Create("GB") },
            "region" => original with { Region = null },
            "website" => original with { Website = new Uri("https://www.pref.osaka.lg.jp/en/") },
            "formerNames" => original with { FormerNames = [new FormerName(BilingualText.Create("大阪府(旧)"))] },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var changed = partner.Update(details, Later);

        Assert.True(changed);
        Assert.Equal(2, partner.Version);
        Assert.Equal(Later, partner.UpdatedAt);
        Assert.Equal(CreatedAt, partner.CreatedAt);
        Assert.Equal(details, partner.Describe());
        Assert.NotEqual(original, partner.Describe());
    }

    [Fact]
    public void Update_WhenSeveralChangesApplied_ShouldBumpVersionOncePerChange()
    {
        var partner = Create(Ucla());

        Assert.True(partner.Update(Ucla() with { Region = BilingualText.Create("カリフォルニア州", "California") }, Later));
        Assert.False(partner.Update(partner.Describe(), Later.AddMinutes(1)));
        Assert.True(partner.Update(Ucla(), MuchLater));

        Assert.Equal(3, partner.Version);
        Assert.Equal(MuchLater, partner.UpdatedAt);
    }

    [Fact]
    public void Update_WhenWebsiteIsFtp_ShouldThrowUrlInvalidAndKeepPartner()
    {
        var partner = Create(Osaka());

        var code = Assert.Throws<DomainException>(() => partner.Update(Osaka() with { Website = new Uri("ftp://ftp.pref.osaka.lg.jp/") }, Later)).Error.Code;

        Assert.Equal("url.invalid", code);
        Assert.Equal(1, partner.Version);
        Assert.Equal(Osaka(), partner.Describe());
    }

    [Fact]
    public void Update_WhenShortNameTooLong_ShouldThrowAndKeepPartner()
    {
        var partner = Create(Ucla());
        var details = Ucla() with
        {
            Slug = Slug.Create("university-of-california-los-angeles"),
            ShortName = new string('U', PartnerErrors.MaxShortNameLength + 1),
        };

        var code = Assert.Throws<DomainException>(() => partner.Update(details, Later)).Error.Code;

        Assert.Equal("text.too-long", code);
        Assert.Equal(Ucla(), partner.Describe());
    }

    [Fact]
    public void Update_WhenSameDetailsWithUntrimmedShortNameSentAgain_ShouldReturnFalseAndKeepVersion()
    {
        var partner = Create(Ucla());
        var details = Ucla() with { ShortName = " UCLA ", Region = BilingualText.Create("カリフォルニア州", "California") };
        Assert.True(partner.Update(details, Later));

        var changedAgain = partner.Update(details, MuchLater);

        Assert.False(changedAgain);
        Assert.Equal(2, partner.Version);
    }

    [Fact]
    public void Update_WhenWebsiteChangesOnlyInItsFragment_ShouldReturnTrueAndApplyIt()
    {
        var partner = Create(Osaka());
        var details = Osaka() with { Website = new Uri("https://www.pref.osaka.lg.jp/#english") };

        var changed = partner.Update(details, Later);

        Assert.True(changed);
        Assert.Equal("#english", partner.Website?.Fragment);
        Assert.Equal(2, partner.Version);
    }

    // ---- Rename ----

    [Fact]
    public void Rename_WhenNewName_ShouldKeepTheOldNameInFormerNamesAndBumpVersion()
    {
        var partner = Create(KobeBeforeRenaming());

        partner.Rename(KobeCurrentName, PartialDate.Parse("2018-04"), Later);

        Assert.Equal(KobeCurrentName, partner.Name);
        Assert.Equal([new FormerName(KobeFormerName, PartialDate.Parse("2018-04"))], partner.FormerNames);
        Assert.Equal(2, partner.Version);
        Assert.Equal(Later, partner.UpdatedAt);
        Assert.Equal("kobe-biomedical-innovation-cluster", partner.Slug.Value);
        Assert.Equal("FBRI", partner.ShortName);
    }

    [Fact]
    public void Rename_WhenDateUnknown_ShouldKeepTheFormerNameWithoutDate()
    {
        var partner = Create(KobeBeforeRenaming());

        partner.Rename(KobeCurrentName, null, Later);

        var former = Assert.Single(partner.FormerNames);
        Assert.Equal(KobeFormerName, former.Name);
        Assert.Null(former.Until);
    }

    [Fact]
    public void Rename_WhenRenamedTwice_ShouldKeepFormerNamesOldestFirst()
    {
        var partner = Create(KobeBeforeRenaming());
        var nextName = BilingualText.Create("神戸医療産業都市推進機構", "Kobe Biomedical Innovation Cluster");

        partner.Rename(KobeCurrentName, PartialDate.Parse("2018-04"), Later);
        partner.Rename(nextName, PartialDate.Parse("2030-04-01"), MuchLater);

        Assert.Equal(nextName, partner.Name);
        Assert.Equal(
            [new FormerName(KobeFormerName, PartialDate.Parse("2018-04")), new FormerName(KobeCurrentName, PartialDate.Parse("2030-04-01"))],
            partner.FormerNames);
        Assert.Equal(3, partner.Version);
    }

    [Fact]
    public void Rename_WhenSameName_ShouldChangeNothing()
    {
        var partner = Create(Osaka());

        partner.Rename(BilingualText.Create(" 大阪府 ", "Osaka Prefecture"), PartialDate.Parse("2020-09"), Later);

        Assert.Empty(partner.FormerNames);
        Assert.Equal(1, partner.Version);
        Assert.Equal(CreatedAt, partner.UpdatedAt);
    }

    [Fact]
    public void Rename_WhenOnlyEnglishChanges_ShouldKeepTheOldName()
    {
        var partner = Create(Osaka());

        partner.Rename(BilingualText.Create("大阪府", "Osaka Prefectural Government"), null, Later);

        Assert.Equal(BilingualText.Create("大阪府", "Osaka Prefecture"), Assert.Single(partner.FormerNames).Name);
        Assert.Equal(2, partner.Version);
    }

    [Fact]
    public void Rename_WhenFormerNamesAreFull_ShouldThrowTooManyFormerNamesAndChangeNothing()
    {
        var partner = Create(Osaka() with { FormerNames = FormerNames(PartnerErrors.MaxFormerNames) });

        var code = Assert.Throws<DomainException>(() => partner.Rename(BilingualText.Create("大阪府庁"), null, Later)).Error.Code;

        Assert.Equal("partner.too-many-former-names", code);
        Assert.Equal(BilingualText.Create("大阪府", "Osaka Prefecture"), partner.Name);
        Assert.Equal(PartnerErrors.MaxFormerNames, partner.FormerNames.Count);
        Assert.Equal(1, partner.Version);
    }

    // ---- Delete ----

    [Fact]
    public void Delete_WhenNotDeleted_ShouldLeaveATombstoneAndBumpVersion()
    {
        var partner = Create(Osaka());

        partner.Delete(Later);

        Assert.True(partner.IsDeleted);
        Assert.Equal(Later, partner.DeletedAt);
        Assert.Equal(Later, partner.UpdatedAt);
        Assert.Equal(2, partner.Version);
        Assert.Equal(Osaka(), partner.Describe());
    }

    [Theory]
    [InlineData("update")]
    [InlineData("updateIdentical")]
    [InlineData("rename")]
    [InlineData("renameSame")]
    [InlineData("delete")]
    public void AnyChange_WhenDeleted_ShouldThrowPartnerDeletedAndChangeNothing(string change)
    {
        var partner = Create(Osaka());
        partner.Delete(Later);
        Action act = change switch
        {
            "update" => () => partner.Update(Osaka() with { ShortName = "OPG" }, MuchLater),
            "updateIdentical" => () => partner.Update(Osaka(), MuchLater),
            "rename" => () => partner.Rename(BilingualText.Create("大阪府庁"), null, MuchLater),
            "renameSame" => () => partner.Rename(BilingualText.Create("大阪府", "Osaka Prefecture"), null, MuchLater),
            "delete" => () => partner.Delete(MuchLater),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        var error = Assert.Throws<DomainException>(act).Error;

        Assert.Equal("partner.deleted", error.Code);
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal(2, partner.Version);
        Assert.Equal(Later, partner.DeletedAt);
        Assert.Equal(Osaka(), partner.Describe());
    }
}
