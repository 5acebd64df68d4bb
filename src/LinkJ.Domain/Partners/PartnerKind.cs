namespace LinkJ.Domain.Partners;

/// <summary>What sort of organisation a partner is.</summary>
public enum PartnerKind
{
    /// <summary>A university (UCSD, UCLA).</summary>
    University,

    /// <summary>A research institute, often of a university (慶應義塾大学先端生命科学研究所).</summary>
    ResearchInstitute,

    /// <summary>An industry association or life-science cluster organisation (BIOCOM, Eurobiomed, One Nucleus, MedCity).</summary>
    IndustryAssociation,

    /// <summary>A local government, 自治体 (川崎市, 横浜市, 大阪府).</summary>
    LocalGovernment,

    /// <summary>A foundation, e.g. 公益財団法人 (神戸医療産業都市推進機構).</summary>
    Foundation,

    /// <summary>A company, 株式会社 (京都リサーチパーク株式会社, Oxford University Innovation).</summary>
    Company,

    Other,
}
