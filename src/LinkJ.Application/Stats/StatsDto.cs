using LinkJ.Application.Agreements;
using LinkJ.Application.Common.Dtos;
using LinkJ.Application.Partners;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Stats;

/// <summary>
/// LINK-J's partners and partnerships in numbers (see GET /api/v1/stats).
/// </summary>
public sealed record StatsDto
{
    /// <summary>The overall counts.</summary>
    public required StatsTotalsDto Totals { get; init; }

    /// <summary>Partners and partnerships per country, most partnerships first (then by country code).</summary>
    public required IReadOnlyList<CountryStatsDto> ByCountry { get; init; }

    /// <summary>Partnerships and partners per partner kind, most partnerships first.</summary>
    public required IReadOnlyList<PartnerKindStatsDto> ByPartnerKind { get; init; }

    /// <summary>
    /// Partnerships per signing year with their running total, oldest first: every year from the first partnership's
    /// to the latest's, years without a new partnership included.
    /// </summary>
    public required IReadOnlyList<YearStatsDto> ByYear { get; init; }

    /// <summary>How many partnerships include each cooperation scope, most first (then in the vocabulary's order).</summary>
    public required IReadOnlyList<ScopeStatsDto> ByScope { get; init; }

    /// <summary>The first partnership (1例目); null while there is none.</summary>
    public PartnershipMilestoneDto? First { get; init; }

    /// <summary>The latest partnership, e.g. Osaka Prefecture, the 13th and the 3rd with a local government; null while there is none.</summary>
    public PartnershipMilestoneDto? Latest { get; init; }

    /// <summary>The language of the display texts (labels, display names): ja or en.</summary>
    public required string Language { get; init; }
}

/// <summary>The overall counts.</summary>
/// <param name="Partners">Partners (not deleted), with or without a partnership.</param>
/// <param name="Partnerships">Partnerships (国内外13団体目): agreements that are not drafts, deleted or renewals.</param>
/// <param name="Agreements">Every agreement that is not deleted, drafts and renewals included.</param>
/// <param name="OverseasPartners">Partners outside Japan.</param>
/// <param name="DomesticPartners">Partners in Japan.</param>
/// <param name="ByStatus">The agreements (not deleted) in each status.</param>
public sealed record StatsTotalsDto(int Partners, int Partnerships, int Agreements, int OverseasPartners, int DomesticPartners, AgreementStatusCountsDto ByStatus);

/// <summary>How many agreements (not deleted) are in each status.</summary>
/// <param name="Draft">Not signed yet; not a partnership.</param>
/// <param name="Active">In force.</param>
/// <param name="Expired">Its validity has ended.</param>
/// <param name="Terminated">Ended early, or superseded by a renewal.</param>
public sealed record AgreementStatusCountsDto(int Draft, int Active, int Expired, int Terminated);

/// <summary>Partners and partnerships in one country.</summary>
/// <param name="Country">ISO 3166-1 alpha-2 country code.</param>
/// <param name="Partners">Partners in the country.</param>
/// <param name="Partnerships">Partnerships with partners in the country.</param>
public sealed record CountryStatsDto(string Country, int Partners, int Partnerships);

/// <summary>Partnerships and partners of one kind.</summary>
/// <param name="Kind">The partner kind.</param>
/// <param name="Label">The kind as a website shows it, in the negotiated language (自治体 / Local government).</param>
/// <param name="Partnerships">Partnerships with partners of the kind.</param>
/// <param name="Partners">Partners of the kind.</param>
public sealed record PartnerKindStatsDto(PartnerKind Kind, string Label, int Partnerships, int Partners);

/// <summary>The partnerships of one signing year.</summary>
/// <param name="Year">The signing year.</param>
/// <param name="Partnerships">Partnerships signed in the year.</param>
/// <param name="Cumulative">Partnerships signed up to the end of the year.</param>
public sealed record YearStatsDto(int Year, int Partnerships, int Cumulative);

/// <summary>How many partnerships include one cooperation scope.</summary>
/// <param name="Code">The scope's code, e.g. publication-exchange.</param>
/// <param name="Label">What it means, in Japanese and English.</param>
/// <param name="Agreements">Partnerships (counted agreements) that list the scope.</param>
public sealed record ScopeStatsDto(string Code, BilingualTextDto Label, int Agreements);

/// <summary>A partnership the statistics point out: the first or the latest.</summary>
/// <param name="AgreementId">The agreement's id (see /api/v1/agreements/{id}).</param>
/// <param name="Partner">The partner, with its name in the negotiated language.</param>
/// <param name="SignedOn">When it was signed: YYYY-MM-DD, or YYYY-MM when only the month is known.</param>
/// <param name="Ordinal">Its running number overall (13例目) and among partners of the same kind (自治体との3例目).</param>
public sealed record PartnershipMilestoneDto(Guid AgreementId, PartnerSummaryDto Partner, string SignedOn, OrdinalDto Ordinal);
