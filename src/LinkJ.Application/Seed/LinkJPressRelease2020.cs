using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.CooperationScopes;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Seed;

/// <summary>
/// The 13 partnerships of LINK-J's press release of 7 September 2020 (LINK-J、大阪府とライフサイエンス領域に関する
/// 相互提携の覚書を締結), in the order of its table 「LINK-J の提携に関する沿革」. Japanese as the release writes it;
/// English as the organisations spell their names. Where a later LINK-J release gives the exact day, the day is used
/// and the source note says so.
/// </summary>
public static class LinkJPressRelease2020
{
    public const string Source = "LINK-J press release 2020-09-07 (LINK-J、大阪府とライフサイエンス領域に関する相互提携の覚書を締結)";

    /// <summary>The cooperation items (提携内容) the table uses, as the starting vocabulary.</summary>
    public static IReadOnlyList<CooperationScope> Scopes { get; } = Vocabulary(
    [
        ("publication-exchange", "刊行物、資料、情報の交換", "Exchange of publications, materials and information"),
        ("publication-exchange-dissemination", "刊行物、資料、情報の交換・発信", "Exchange and dissemination of publications, materials and information"),
        ("mutual-programs-events", "プログラムやイベントの相互開催", "Mutual hosting of programs and events"),
        ("nihonbashi-symposium", "著名な教授を招聘したシンポジウムを日本橋で開催", "Symposia in Nihonbashi with distinguished invited professors"),
        ("member-services", "双方の会員へのサービス提供", "Services for each other's members"),
        ("event-cooperation", "活動、イベント、プログラム等における共催、協賛、告知等の協力", "Co-hosting, sponsorship and promotion of activities, events and programs"),
        ("mutual-visits", "相互訪問", "Mutual visits"),
        ("mutual-facility-use", "相互施設利用", "Mutual use of facilities"),
        ("short-term-programs", "特別な短期プログラムの提供", "Special short-term programs"),
        ("bio-cluster-collaboration", "国内外バイオクラスター等との連携推進", "Promoting collaboration with bio clusters in Japan and abroad"),
        ("health-medical-cluster-collaboration", "国内外の健康・医療クラスター等との連携推進", "Promoting collaboration with health and medical clusters in Japan and abroad"),
    ]);

    /// <summary>A partnership of the table: the partner and its agreement with LINK-J.</summary>
    /// <param name="Partner">The partner's details.</param>
    /// <param name="SignedOn">The signing date.</param>
    /// <param name="Validity">When the MOU is in force.</param>
    /// <param name="Cooperation">The cooperation items.</param>
    /// <param name="Signatories">People at the signing, where the release names them.</param>
    /// <param name="SourceNote">Where the values came from.</param>
    public sealed record Partnership(
        PartnerDetails Partner,
        PartialDate SignedOn,
        Validity Validity,
        Cooperation Cooperation,
        IReadOnlyList<Signatory> Signatories,
        string SourceNote)
    {
        public Guid PartnerId => SeedIds.Partner(Partner.Slug.Value);

        public Guid AgreementId => SeedIds.Agreement(Partner.Slug.Value);

        public AgreementDetails Agreement => new(
            PartnerId,
            AgreementType.Mou,
            BilingualText.Create(
                $"LINK-Jと{Partner.Name.Ja}の相互提携に関する覚書",
                $"Memorandum of Understanding between LINK-J and {Partner.Name.En}"),
            SignedOn,
            Validity,
            Cooperation,
            Signatories,
            SourceNote);
    }

    private static readonly string[] AcademicExchange = ["publication-exchange", "mutual-programs-events", "nihonbashi-symposium"];
    private static readonly string[] ClusterExchange = ["member-services", "publication-exchange", "mutual-programs-events"];
    private static readonly string[] DomesticCooperation = ["event-cooperation", "publication-exchange", "mutual-visits"];
    private static readonly BilingualText Kansai = BilingualText.Create("関西圏", "Kansai");

    public static IReadOnlyList<Partnership> Partnerships { get; } =
    [
        Row("ucsd", "カリフォルニア大学サンディエゴ校", "University of California San Diego", "UCSD", PartnerKind.University, "US",
            PartialDate.InMonth(2016, 5), AcademicExchange, openEnded: true, website: "https://ucsd.edu/"),
        Row("biocom", "BIOCOM", "Biocom", null, PartnerKind.IndustryAssociation, "US",
            PartialDate.InMonth(2016, 5), ClusterExchange, openEnded: true, website: "https://www.biocom.org/"),
        Row("eurobiomed", "Eurobiomed", "Eurobiomed", null, PartnerKind.IndustryAssociation, "FR",
            PartialDate.InMonth(2017, 6), ClusterExchange, openEnded: true, website: "https://www.eurobiomed.org/"),
        Row("kyoto-research-park", "京都リサーチパーク株式会社", "Kyoto Research Park Corp.", "KRP", PartnerKind.Company, "JP",
            PartialDate.InMonth(2017, 7), DomesticCooperation, openEnded: true, region: Kansai, website: "https://www.krp.co.jp/"),
        Row("one-nucleus", "One Nucleus", "One Nucleus", null, PartnerKind.IndustryAssociation, "GB",
            PartialDate.InMonth(2017, 12), ClusterExchange, openEnded: true, website: "https://www.onenucleus.com/"),
        Row("kobe-biomedical-innovation-cluster", "公益財団法人神戸医療産業都市推進機構", "Foundation for Biomedical Research and Innovation at Kobe", "FBRI",
            PartnerKind.Foundation, "JP", PartialDate.InMonth(2018, 1), DomesticCooperation, openEnded: true, region: Kansai,
            website: "https://www.fbri-kobe.org/",
            formerNames: [new FormerName(BilingualText.Create("公益財団法人先端医療振興財団", "Foundation for Biomedical Research and Innovation"))],
            note: "Signing month: the release's table gives 2018年1月, its body 2018年2月; the table's value is kept. " +
                  "Signed as 公益財団法人先端医療振興財団 (the body: 「公益財団法人先端医療振興財団（現、神戸医療産業都市推進機構）」)."),
        Row("keio-iab", "慶應義塾大学先端生命科学研究所", "Institute for Advanced Biosciences, Keio University", "IAB", PartnerKind.ResearchInstitute, "JP",
            PartialDate.InMonth(2018, 4), DomesticCooperation, openEnded: true, website: "https://www.iab.keio.ac.jp/"),
        Row("medcity", "MedCity", "MedCity", null, PartnerKind.IndustryAssociation, "GB",
            PartialDate.InMonth(2018, 6), ["publication-exchange", "short-term-programs", "mutual-visits", "event-cooperation"], openEnded: false,
            website: "https://www.medcityhq.com/",
            note: "The table's items are 「刊行物、資料、情報の交換」「特別な短期プログラムの提供や、相互訪問」「イベントにおける共催、協賛、告知等の協力」; its list does not end in 等."),
        Row("kawasaki-city", "川崎市", "Kawasaki City", null, PartnerKind.LocalGovernment, "JP",
            PartialDate.OnDay(2018, 8, 30), ["event-cooperation", "publication-exchange-dissemination", "mutual-visits", "mutual-facility-use"], openEnded: true,
            website: "https://www.city.kawasaki.jp/",
            note: "The release's table gives 2018年8月; the day (2018-08-30) is from LINK-J's release on the Kawasaki MOU, LINK-J's first with a local government."),
        Row("ucla", "カリフォルニア大学ロサンゼルス校", "University of California, Los Angeles", "UCLA", PartnerKind.University, "US",
            PartialDate.OnDay(2019, 6, 3), AcademicExchange, openEnded: true, termMonths: 60, website: "https://www.ucla.edu/",
            note: "The release's table gives 2019年6月; the day (2019-06-03) and the five-year term are from LINK-J's release on the UCLA MOU."),
        Row("yokohama-city", "横浜市", "City of Yokohama", null, PartnerKind.LocalGovernment, "JP",
            PartialDate.OnDay(2019, 8, 30), ["event-cooperation", "publication-exchange-dissemination", "bio-cluster-collaboration"], openEnded: true,
            website: "https://www.city.yokohama.lg.jp/",
            note: "The release's table gives 2019年8月; the day (2019-08-30) is from LINK-J's release on the Yokohama MOU. " +
                  "The table's third item reads 「国内外バイオクラスター等との連携推進などにおける協力」."),
        Row("oxford-university-innovation", "Oxford University Innovation", "Oxford University Innovation", "OUI", PartnerKind.Company, "GB",
            PartialDate.InMonth(2020, 7), ClusterExchange, openEnded: true, website: "https://innovation.ox.ac.uk/"),
        Row("osaka-prefecture", "大阪府", "Osaka Prefecture", null, PartnerKind.LocalGovernment, "JP",
            PartialDate.OnDay(2020, 9, 7), ["event-cooperation", "publication-exchange-dissemination", "health-medical-cluster-collaboration"], openEnded: true,
            region: Kansai, website: "https://www.pref.osaka.lg.jp/",
            signatories:
            [
                new Signatory(
                    BilingualText.Create("澤芳樹", "Yoshiki Sawa"),
                    BilingualText.Create("副理事長（大阪大学大学院教授）", "Vice Chairman (Professor, Osaka University Graduate School)"),
                    BilingualText.Create("LINK-J", "LINK-J")),
                new Signatory(
                    BilingualText.Create("山口信彦", "Nobuhiko Yamaguchi"),
                    BilingualText.Create("副知事", "Vice-Governor"),
                    BilingualText.Create("大阪府", "Osaka Prefecture")),
                new Signatory(
                    BilingualText.Create("植田俊", "Shun Ueda"),
                    BilingualText.Create("理事（三井不動産株式会社 取締役常務執行役員）", "Director (Managing Director, Mitsui Fudosan Co., Ltd.)"),
                    BilingualText.Create("LINK-J", "LINK-J")),
            ],
            note: "The release's table gives 2020年9月, its text 9月7日. LINK-J's 13th partnership and its 3rd with a local government, " +
                  "after Kawasaki City and the City of Yokohama; signed the day LINK-J WEST started in Osaka."),
    ];

    /// <summary>
    /// The partnerships' press releases as link documents, where a source gives their address (ADR 0038, docs/decisions/0004).
    /// The 2020-09-07 release (the seed's source) gives one address, LINK-J's site, where it was published: it is Osaka's
    /// release. It gives none for the other twelve partnerships' releases, and the later releases the seed takes exact
    /// days from (Kawasaki, UCLA, Yokohama) are known without their addresses: those get no document rather than a
    /// guessed URL. Links are not fetched at seed time, so they have no hash.
    /// </summary>
    public static IReadOnlyList<SeedDocument> Documents { get; } =
    [
        new(SeedIds.Document("osaka-prefecture:press-release-2020-09-07"), SeedIds.Agreement("osaka-prefecture"),
            BilingualText.Create("LINK-J、大阪府とライフサイエンス領域に関する相互提携の覚書を締結",
                "LINK-J signs a memorandum of understanding with Osaka Prefecture on mutual partnership in life science"),
            "ja", "https://www.link-j.org/"),
    ];

    private static CooperationScope[] Vocabulary((string Code, string Ja, string En)[] items) =>
        [.. items.Select((item, index) => CooperationScope.Create(Slug.Create(item.Code), BilingualText.Create(item.Ja, item.En), sortOrder: (index + 1) * 10))];

    private static Partnership Row(
        string slug, string nameJa, string nameEn, string? shortName, PartnerKind kind, string country,
        PartialDate signedOn, IReadOnlyList<string> scopes, bool openEnded,
        BilingualText? region = null, string? website = null, IReadOnlyList<FormerName>? formerNames = null,
        int? termMonths = null, IReadOnlyList<Signatory>? signatories = null, string? note = null)
    {
        var partner = new PartnerDetails(
            Slug.Create(slug), BilingualText.Create(nameJa, nameEn), shortName, kind, CountryCode.Create(country),
            region, website is null ? null : new Uri(website), formerNames ?? []);
        var validity = termMonths is { } months ? Validity.ForTerm(signedOn.Date, months) : Validity.OpenEnded(signedOn.Date);
        return new Partnership(
            partner, signedOn, validity, Cooperation.Create(scopes, openEnded), signatories ?? [],
            note is null ? Source : Source + ". " + note);
    }
}

/// <summary>A press release of a seeded partnership, as a public link document.</summary>
public sealed record SeedDocument(Guid Id, Guid AgreementId, BilingualText Title, string Language, string Url);
