using System.Globalization;
using LinkJ.Application.Common.Dtos;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Api.Pages;

/// <summary>
/// The words of the partnerships page and widget in Japanese and English: labels, country names, statuses and the
/// running numbers as the release says them ("13例目", "自治体との3例目" / "13th", "3rd with a local government").
/// The widget gets the same tables (<see cref="WidgetScript"/>), so both show the same texts.
/// </summary>
public sealed class PageText
{
    public static readonly PageText Japanese = new(Language.Japanese);
    public static readonly PageText English = new(Language.English);

    private PageText(Language language) => Language = language;

    public Language Language { get; }

    public bool IsEnglish => Language == Language.English;

    /// <summary>ja or en: the page's lang attribute.</summary>
    public string Code => Language.Code();

    public static PageText For(Language language) => language == Language.English ? English : Japanese;

    /// <summary>The page's own path in this language.</summary>
    public string Path => IsEnglish ? PartnershipsPage.EnglishPath : PartnershipsPage.JapanesePath;

    /// <summary>The same page in the other language.</summary>
    public PageText Other => IsEnglish ? Japanese : English;

    public string T(string ja, string en) => IsEnglish ? en : ja;

    /// <summary>2020年9月 / September 2020 (a day, where known, is shown as the month the release's table shows).</summary>
    public string YearMonth(string signedOn)
    {
        var year = int.Parse(signedOn.AsSpan(0, 4), CultureInfo.InvariantCulture);
        var month = int.Parse(signedOn.AsSpan(5, 2), CultureInfo.InvariantCulture);
        return IsEnglish
            ? CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month) + " " + year.ToString(CultureInfo.InvariantCulture)
            : $"{year}年{month}月";
    }

    /// <summary>The machine-readable form of <see cref="YearMonth"/> for a time element: 2020-09.</summary>
    public static string IsoMonth(string signedOn) => signedOn[..7];

    public string Country(string code) => CountryName(code, Language);

    public string Kind(PartnerKind kind) => kind.Label(Language);

    public string Status(AgreementStatus status) => StatusLabel(status, Language);

    /// <summary>13例目 / 13th.</summary>
    public string Overall(long n) => IsEnglish ? Ordinal(n) : $"{n}例目";

    /// <summary>自治体との3例目 / 3rd with a local government.</summary>
    public string WithinKind(long n, PartnerKind kind) => IsEnglish ? $"{Ordinal(n)} {WithKindEnglish(kind)}" : $"{kind.Label(Language.Japanese)}との{n}例目";

    public static string Ordinal(long n)
    {
        var suffix = (n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return n.ToString(CultureInfo.InvariantCulture) + suffix;
    }

    public static string WithKindEnglish(PartnerKind kind) => kind switch
    {
        PartnerKind.University => "with a university",
        PartnerKind.ResearchInstitute => "with a research institute",
        PartnerKind.IndustryAssociation => "with an industry association or cluster",
        PartnerKind.LocalGovernment => "with a local government",
        PartnerKind.Foundation => "with a foundation",
        PartnerKind.Company => "with a company",
        _ => "with another kind of partner",
    };

    public static string StatusLabel(AgreementStatus status, Language language) => (status, language) switch
    {
        (AgreementStatus.Active, Language.English) => "In force",
        (AgreementStatus.Active, _) => "有効",
        (AgreementStatus.Expired, Language.English) => "Expired",
        (AgreementStatus.Expired, _) => "期間満了",
        (AgreementStatus.Terminated, Language.English) => "Terminated",
        (AgreementStatus.Terminated, _) => "終了",
        (_, Language.English) => "Draft",
        _ => "草案",
    };

    /// <summary>
    /// Country names in both languages for the countries partners are in, and LINK-J's likely next ones; any other code
    /// shows its English name from the runtime (ICU has no Japanese names without a Japanese UI culture), else the code.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (string Ja, string En)> Countries = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["JP"] = ("日本", "Japan"),
        ["US"] = ("米国", "United States"),
        ["GB"] = ("英国", "United Kingdom"),
        ["FR"] = ("フランス", "France"),
        ["DE"] = ("ドイツ", "Germany"),
        ["CH"] = ("スイス", "Switzerland"),
        ["SE"] = ("スウェーデン", "Sweden"),
        ["DK"] = ("デンマーク", "Denmark"),
        ["NL"] = ("オランダ", "Netherlands"),
        ["BE"] = ("ベルギー", "Belgium"),
        ["IT"] = ("イタリア", "Italy"),
        ["ES"] = ("スペイン", "Spain"),
        ["IE"] = ("アイルランド", "Ireland"),
        ["FI"] = ("フィンランド", "Finland"),
        ["CA"] = ("カナダ", "Canada"),
        ["AU"] = ("オーストラリア", "Australia"),
        ["SG"] = ("シンガポール", "Singapore"),
        ["KR"] = ("韓国", "South Korea"),
        ["TW"] = ("台湾", "Taiwan"),
        ["CN"] = ("中国", "China"),
        ["IN"] = ("インド", "India"),
        ["IL"] = ("イスラエル", "Israel"),
    };

    public static string CountryName(string code, Language language)
    {
        if (Countries.TryGetValue(code, out var names))
        {
            return language == Language.English ? names.En : names.Ja;
        }

        try
        {
            return new RegionInfo(code).EnglishName;
        }
        catch (ArgumentException)
        {
            return code;
        }
    }
}
