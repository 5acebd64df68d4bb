using LinkJ.Application.Abstractions;
using LinkJ.Application.Agreements;
using LinkJ.Application.Common.Dtos;
using LinkJ.Application.CooperationScopes;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Stats;

/// <summary>Turns the aggregated counts into the statistics as the API shows them: totals, sorted breakdowns, running totals.</summary>
public static class StatsComposer
{
    public static StatsDto Compose(
        StatsCounts counts,
        IReadOnlyDictionary<string, CooperationScopeDto> vocabulary,
        PartnershipMilestoneDto? first,
        PartnershipMilestoneDto? latest,
        Language language)
    {
        var partners = counts.Partners;
        var partnerships = counts.Partnerships;
        int InStatus(AgreementStatus status) => counts.AgreementsByStatus.GetValueOrDefault(status);

        var totals = new StatsTotalsDto(
            Partners: partners.Sum(p => p.Partners),
            Partnerships: partnerships.Sum(p => p.Partnerships),
            Agreements: counts.AgreementsByStatus.Values.Sum(),
            OverseasPartners: partners.Where(p => !p.Country.IsJapan).Sum(p => p.Partners),
            DomesticPartners: partners.Where(p => p.Country.IsJapan).Sum(p => p.Partners),
            ByStatus: new AgreementStatusCountsDto(
                InStatus(AgreementStatus.Draft), InStatus(AgreementStatus.Active), InStatus(AgreementStatus.Expired), InStatus(AgreementStatus.Terminated)));

        // A partner may have no partnership yet (created before its agreement): its country and kind still show, with 0.
        var byCountry = partners.Select(p => (Country: p.Country.ToWire(), p.Partners, Partnerships: 0))
            .Concat(partnerships.Select(p => (Country: p.Country.ToWire(), Partners: 0, p.Partnerships)))
            .GroupBy(c => c.Country, StringComparer.Ordinal)
            .Select(g => new CountryStatsDto(g.Key, g.Sum(c => c.Partners), g.Sum(c => c.Partnerships)))
            .OrderByDescending(c => c.Partnerships)
            .ThenBy(c => c.Country, StringComparer.Ordinal)
            .ToList();

        var byPartnerKind = partners.Select(p => (p.Kind, p.Partners, Partnerships: 0))
            .Concat(partnerships.Select(p => (p.Kind, Partners: 0, p.Partnerships)))
            .GroupBy(k => k.Kind)
            .Select(g => new PartnerKindStatsDto(g.Key, g.Key.Label(language), g.Sum(k => k.Partnerships), g.Sum(k => k.Partners)))
            .OrderByDescending(k => k.Partnerships)
            .ThenBy(k => k.Kind)
            .ToList();

        return new StatsDto
        {
            Totals = totals,
            ByCountry = byCountry,
            ByPartnerKind = byPartnerKind,
            ByYear = ByYear(partnerships),
            ByScope = ByScope(counts.PartnershipsByScope, vocabulary),
            First = first,
            Latest = latest,
            Language = language.Code(),
        };
    }

    /// <summary>The first or latest partnership, with its partner's summary in <paramref name="language"/>.</summary>
    public static PartnershipMilestoneDto Milestone(Agreement agreement, Partner partner, AgreementOrdinal ordinal, Language language) =>
        new(agreement.Id, partner.ToSummary(language), agreement.SignedOn.ToWire(), new OrdinalDto(ordinal.Overall, ordinal.WithinPartnerKind));

    /// <summary>Every year from the first partnership's to the latest's (gaps as 0), with the running total.</summary>
    private static List<YearStatsDto> ByYear(IReadOnlyList<PartnershipCount> partnerships)
    {
        var perYear = partnerships.GroupBy(p => p.Year).ToDictionary(g => g.Key, g => g.Sum(p => p.Partnerships));
        var years = new List<YearStatsDto>();
        if (perYear.Count == 0)
        {
            return years;
        }

        var cumulative = 0;
        for (var year = perYear.Keys.Min(); year <= perYear.Keys.Max(); year++)
        {
            var signed = perYear.GetValueOrDefault(year);
            cumulative += signed;
            years.Add(new YearStatsDto(year, signed, cumulative));
        }

        return years;
    }

    /// <summary>The scopes partnerships list, most used first, ties in the vocabulary's order; a code the vocabulary lacks shows as its own label.</summary>
    private static List<ScopeStatsDto> ByScope(IReadOnlyDictionary<string, int> perScope, IReadOnlyDictionary<string, CooperationScopeDto> vocabulary)
    {
        var position = vocabulary.Keys.Select((code, index) => (code, index)).ToDictionary(s => s.code, s => s.index, StringComparer.Ordinal);
        return
        [
            .. perScope
                .Where(s => s.Value > 0)
                .Select(s => (Scope: vocabulary.TryGetValue(s.Key, out var scope) ? scope : CooperationScopeMapper.Unlabelled(s.Key), Count: s.Value))
                .OrderByDescending(s => s.Count)
                .ThenBy(s => position.GetValueOrDefault(s.Scope.Code, int.MaxValue))
                .ThenBy(s => s.Scope.Code, StringComparer.Ordinal)
                .Select(s => new ScopeStatsDto(s.Scope.Code, s.Scope.Label, s.Count)),
        ];
    }
}
