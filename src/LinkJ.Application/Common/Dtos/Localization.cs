using LinkJ.Application.Common;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Common.Dtos;

/// <summary>Display texts in the negotiated language, with Japanese where a text has no English.</summary>
public static class Localization
{
    public static string Code(this Language language) => language == Language.English ? "en" : "ja";

    /// <summary>A partner kind as a website shows it.</summary>
    public static string Label(this PartnerKind kind, Language language) => (kind, language) switch
    {
        (PartnerKind.University, Language.English) => "University",
        (PartnerKind.University, _) => "大学",
        (PartnerKind.ResearchInstitute, Language.English) => "Research institute",
        (PartnerKind.ResearchInstitute, _) => "研究機関",
        (PartnerKind.IndustryAssociation, Language.English) => "Industry association / cluster",
        (PartnerKind.IndustryAssociation, _) => "業界団体・クラスター",
        (PartnerKind.LocalGovernment, Language.English) => "Local government",
        (PartnerKind.LocalGovernment, _) => "自治体",
        (PartnerKind.Foundation, Language.English) => "Foundation",
        (PartnerKind.Foundation, _) => "財団",
        (PartnerKind.Company, Language.English) => "Company",
        (PartnerKind.Company, _) => "企業",
        (_, Language.English) => "Other",
        _ => "その他",
    };
}
