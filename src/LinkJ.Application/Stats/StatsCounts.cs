using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Stats;

/// <summary>
/// What the statistics are made from: a few dozen counts that the database aggregates (the OpenAPI example counts the
/// seed data the same way), so the statistics never need every row in memory.
/// </summary>
/// <param name="Partners">Live partners per country and kind.</param>
/// <param name="Partnerships">Partnerships (counted agreements) per partner country, partner kind and signing year.</param>
/// <param name="AgreementsByStatus">Live agreements per status, drafts and renewals included.</param>
/// <param name="PartnershipsByScope">Partnerships per cooperation scope code.</param>
public sealed record StatsCounts(
    IReadOnlyList<PartnerCount> Partners,
    IReadOnlyList<PartnershipCount> Partnerships,
    IReadOnlyDictionary<AgreementStatus, int> AgreementsByStatus,
    IReadOnlyDictionary<string, int> PartnershipsByScope);

/// <summary>How many live partners there are of one kind in one country.</summary>
/// <param name="Country">The partners' country.</param>
/// <param name="Kind">The partners' kind.</param>
/// <param name="Partners">How many.</param>
public sealed record PartnerCount(CountryCode Country, PartnerKind Kind, int Partners);

/// <summary>How many partnerships were signed in one year with partners of one kind in one country.</summary>
/// <param name="Country">The partners' country.</param>
/// <param name="Kind">The partners' kind.</param>
/// <param name="Year">The signing year.</param>
/// <param name="Partnerships">How many.</param>
public sealed record PartnershipCount(CountryCode Country, PartnerKind Kind, int Year, int Partnerships);
