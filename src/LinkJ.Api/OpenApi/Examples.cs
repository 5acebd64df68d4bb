using LinkJ.Application.Abstractions;
using LinkJ.Application.Agreements;
using LinkJ.Application.Changes;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.CooperationScopes;
using LinkJ.Application.Partners;
using LinkJ.Application.Stats;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Infrastructure.Persistence.Seed;
using DomainAgreement = LinkJ.Domain.Agreements.Agreement;
using DomainPartner = LinkJ.Domain.Partners.Partner;

namespace LinkJ.Api.OpenApi;

/// <summary>
/// Examples for Swagger UI, built from the seeded data through the same domain objects and mappers as real responses:
/// Osaka Prefecture's MOU of 2020-09-07, LINK-J's 13th partnership and 3rd with a local government.
/// </summary>
internal static class Examples
{
    private static readonly DateTimeOffset SeededAt = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly LinkJPressRelease2020.Partnership Osaka = LinkJPressRelease2020.Partnerships[^1];

    private static readonly IReadOnlyDictionary<string, CooperationScopeDto> Vocabulary =
        LinkJPressRelease2020.Scopes.ToDictionary(s => s.Code.Value, s => s.ToDto());

    private static readonly DomainPartner OsakaPartner = DomainPartner.Create(Osaka.PartnerId, Osaka.Partner, SeededAt);

    public static PartnerDto Partner { get; } = OsakaPartner.ToDto(Language.English);

    public static AgreementDto Agreement { get; } =
        DomainAgreement.Create(Osaka.AgreementId, Osaka.Agreement, AgreementStatus.Active, new DateOnly(2026, 11, 25), SeededAt)
            .ToDto(OsakaPartner, new AgreementOrdinal { AgreementId = Osaka.AgreementId, Overall = 13, WithinPartnerKind = 3 }, Vocabulary, Language.English);

    public static Page<PartnerDto> PartnerPage { get; } = new([Partner], null);

    public static Page<AgreementDto> AgreementPage { get; } =
        new([Agreement], Cursor.Encode("agreements", "2020-09-07", "13"));

    public static IReadOnlyList<CooperationScopeDto> CooperationScopes { get; } = [.. Vocabulary.Values];

    /// <summary>The statistics of the seeded partnerships, counted from the seed data the way the database counts them.</summary>
    public static StatsDto Stats { get; } = SeededStats(Language.English);

    public static ChangePageDto ChangePage { get; } = new(
        [
            new ChangeDto
            {
                Cursor = Cursor.Encode("changes", "26"), ResourceType = "partner", ResourceId = Osaka.PartnerId,
                Operation = "created", Version = 1, OccurredAt = SeededAt,
            },
            new ChangeDto
            {
                Cursor = Cursor.Encode("changes", "27"), ResourceType = "agreement", ResourceId = Osaka.AgreementId,
                Operation = "created", Version = 1, OccurredAt = SeededAt,
            },
        ],
        Cursor.Encode("changes", "27"),
        HasMore: false);

    public static IReadOnlyList<HistoryEntryDto> History { get; } =
    [
        new(1, "created", SeededAt, "system", []),
        new(2, "updated", SeededAt.AddDays(3), "crm-sync", ["cooperation", "title"]),
    ];

    private static StatsDto SeededStats(Language language)
    {
        var rows = LinkJPressRelease2020.Partnerships
            .Select(p => (
                Partner: DomainPartner.Create(p.PartnerId, p.Partner, SeededAt),
                Agreement: DomainAgreement.Create(p.AgreementId, p.Agreement, AgreementStatus.Active, DateOnly.FromDateTime(SeededAt.UtcDateTime), SeededAt)))
            .ToList();
        var counts = new StatsCounts(
            [.. rows.GroupBy(r => (r.Partner.Country, r.Partner.Kind)).Select(g => new PartnerCount(g.Key.Country, g.Key.Kind, g.Count()))],
            [.. rows.GroupBy(r => (r.Partner.Country, r.Partner.Kind, r.Agreement.SignedOn.Year))
                .Select(g => new PartnershipCount(g.Key.Country, g.Key.Kind, g.Key.Year, g.Count()))],
            rows.GroupBy(r => r.Agreement.Status).ToDictionary(g => g.Key, g => g.Count()),
            rows.SelectMany(r => r.Agreement.Cooperation.Scopes).GroupBy(code => code).ToDictionary(g => g.Key, g => g.Count()));

        // The release's table is in signing order: a row's place in it is its running number.
        PartnershipMilestoneDto Milestone(int index)
        {
            var (partner, agreement) = rows[index];
            var ordinal = new AgreementOrdinal
            {
                AgreementId = agreement.Id,
                Overall = index + 1,
                WithinPartnerKind = rows.Take(index + 1).Count(r => r.Partner.Kind == partner.Kind),
            };
            return StatsComposer.Milestone(agreement, partner, ordinal, language);
        }

        return StatsComposer.Compose(counts, Vocabulary, Milestone(0), Milestone(rows.Count - 1), language);
    }

    public static string OsakaAgreementId => Osaka.AgreementId.ToString();
}
