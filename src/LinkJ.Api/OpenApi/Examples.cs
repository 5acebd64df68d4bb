using System.Text.Json.Nodes;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Agreements;
using LinkJ.Application.Changes;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.Common;
using LinkJ.Application.CooperationScopes;
using LinkJ.Application.Partners;
using LinkJ.Application.Seed;
using LinkJ.Application.Stats;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
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

    public static string OsakaPartnerId => Osaka.PartnerId.ToString();

    /// <summary>The seeded link to the 2020-09-07 release, as the document reads show it.</summary>
    public static Application.Documents.AgreementDocumentDto OsakaRelease { get; } = Application.Documents.DocumentMapping.ToDto(
        LinkJ.Domain.Documents.AgreementDocument.Link(LinkJPressRelease2020.Documents[0].Id, Osaka.AgreementId, LinkJ.Domain.Documents.DocumentKind.PressRelease,
            LinkJPressRelease2020.Documents[0].Title, "ja", LinkJ.Domain.Documents.DocumentVisibility.Public, LinkJPressRelease2020.Documents[0].Url, null, null, null, SeededAt));

    public static string OsakaPartnerSlug => Partner.Slug;

    /// <summary>The calendar feed of one agreement ending on 2029-09-06 (no reminder days, to keep it short).</summary>
    public static string Calendar { get; } = System.Text.Encoding.UTF8.GetString(Formats.AgreementCalendar.Write(
        [Agreement with { Validity = Agreement.Validity with { Until = new DateOnly(2029, 9, 6) } }], [], Domain.Common.Language.English,
        Http.PublicBaseUrl.From(new ConfigurationBuilder().AddInMemoryCollection([new("PublicBaseUrl", "https://api.example.org/")]).Build())));

    public static string AgreementsCsv { get; } = Formats.Exports.AgreementsExample(Agreement);

    public static string PartnersCsv { get; } = Formats.Exports.PartnersExample(Partner);

    /// <summary>What the agreements import's JSON lines example answers the first time (the MOU with Kanagawa created).</summary>
    public static Application.Common.Imports.ImportResult AgreementsImported { get; } =
        new(false, "atomic", 1, 1, 0, 0, 0, [new(1, Guid.Parse("0193a1d2-7c4e-7b8a-9f10-2c3d4e5f6a7b"), "created")], false);

    /// <summary>What the partners import's examples answer (the seeded Osaka Prefecture, unchanged).</summary>
    public static Application.Common.Imports.ImportResult PartnersImported { get; } =
        new(false, "atomic", 1, 0, 0, 1, 0, [new(1, Osaka.PartnerId, "unchanged")], false);

    /// <summary>
    /// Request bodies that succeed as they are when pressed Execute in Swagger UI on the seeded database (with an API key,
    /// and for an existing resource its current ETag in If-Match): each creates or changes something real.
    /// </summary>
    public static class Requests
    {
        private static JsonObject Text(string ja, string en) => new() { ["ja"] = ja, ["en"] = en };

        /// <summary>Kanagawa Prefecture: LINK-J's 14th partner and 4th local government, 2020-09-18.</summary>
        public static JsonObject CreatePartner => new()
        {
            ["slug"] = "kanagawa-prefecture",
            ["name"] = Text("神奈川県", "Kanagawa Prefecture"),
            ["kind"] = "local-government",
            ["country"] = "JP",
            ["region"] = Text("首都圏", "Greater Tokyo"),
            ["website"] = "https://www.pref.kanagawa.jp/",
        };

        /// <summary>Osaka Prefecture as it is seeded, with its English region name refined.</summary>
        public static JsonObject ReplacePartner => new()
        {
            ["slug"] = Partner.Slug,
            ["name"] = Text(Partner.Name.Ja, Partner.Name.En!),
            ["kind"] = WireEnum.ToWire(Partner.Kind),
            ["country"] = Partner.Country,
            ["region"] = Text("関西圏", "Kansai region"),
            ["website"] = Partner.Website?.ToString(),
        };

        public static JsonObject PatchPartner => new() { ["shortName"] = "大阪" };

        /// <summary>Medicen Paris Region: a five-year MOU, LINK-J's 16th partner, as a CRM would send it.</summary>
        public static JsonObject UpsertPartner => new()
        {
            ["slug"] = "medicen-paris-region",
            ["name"] = Text("メディセン・パリ・リージョン", "Medicen Paris Region"),
            ["kind"] = "industry-association",
            ["country"] = "FR",
            ["website"] = "https://www.medicen.org/",
        };

        /// <summary>A draft agreement with the seeded Osaka Prefecture (its id is the same in every database).</summary>
        public static JsonObject CreateAgreement => new()
        {
            ["partnerId"] = Osaka.PartnerId.ToString(),
            ["type"] = "mou",
            ["title"] = Text("LINK-Jと大阪府の再生医療分野の連携に関する覚書", "Memorandum of Understanding on regenerative medicine between LINK-J and Osaka Prefecture"),
            ["signedOn"] = "2026-04-01",
            ["validity"] = new JsonObject { ["from"] = "2026-04-01", ["termMonths"] = 36 },
            ["cooperation"] = new JsonObject { ["scopes"] = new JsonArray("event-cooperation"), ["isOpenEnded"] = false },
            ["status"] = "draft",
        };

        /// <summary>The Osaka MOU as seeded, with a note added.</summary>
        public static JsonObject ReplaceAgreement => new()
        {
            ["partnerId"] = Osaka.PartnerId.ToString(),
            ["type"] = WireEnum.ToWire(Agreement.Type),
            ["title"] = Text(Agreement.Title.Ja, Agreement.Title.En!),
            ["signedOn"] = Agreement.SignedOn,
            ["validity"] = new JsonObject { ["from"] = Agreement.SignedOn },
            ["cooperation"] = new JsonObject
            {
                ["scopes"] = new JsonArray([.. Agreement.Cooperation.Scopes.Select(s => (JsonNode)JsonValue.Create(s.Code)!)]),
                ["isOpenEnded"] = true,
                ["note"] = "Signed the day LINK-J WEST started in Osaka.",
            },
        };

        public static JsonObject LinkDocument => new()
        {
            ["kind"] = "press-release",
            ["title"] = new JsonObject { ["ja"] = "LINK-J、大阪府と相互提携の覚書を締結（英語版）", ["en"] = "LINK-J signs an MOU with Osaka Prefecture" },
            ["language"] = "en",
            ["url"] = "https://www.link-j.org/",
        };

        public static JsonObject PatchAgreement => new() { ["sourceNote"] = "LINK-J press release 2020-09-07." };

        public static JsonObject UpsertAgreement => new(CreateAgreement.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())))
        {
            ["title"] = Text("LINK-Jと大阪府の人材交流に関する覚書", "Memorandum of Understanding on staff exchange between LINK-J and Osaka Prefecture"),
        };

        /// <summary>The MOU with Kanagawa Prefecture (2020-09-18, LINK-J's 14th partner), as a line of a spreadsheet's JSON lines.</summary>
        public static string ImportAgreementsJsonLines => new JsonObject
        {
            ["externalRef"] = new JsonObject { ["source"] = "mou-sheet", ["id"] = "14" },
            ["partnerSlug"] = "kanagawa-prefecture",
            ["type"] = "mou",
            ["title"] = Text("LINK-Jと神奈川県のライフサイエンス分野における連携に関する覚書", "Memorandum of Understanding on life sciences between LINK-J and Kanagawa Prefecture"),
            ["signedOn"] = "2020-09-18",
            ["cooperation"] = new JsonObject { ["scopes"] = new JsonArray("event-cooperation"), ["isOpenEnded"] = true },
        }.ToJsonString() + "\n";

        /// <summary>The seeded Osaka Prefecture by its id, as it is stored: a line that changes nothing.</summary>
        public static string ImportPartnersJsonLines => new JsonObject
        {
            ["id"] = Osaka.PartnerId.ToString(),
            ["slug"] = Partner.Slug,
            ["name"] = Text(Partner.Name.Ja, Partner.Name.En!),
            ["shortName"] = Partner.ShortName,
            ["kind"] = WireEnum.ToWire(Partner.Kind),
            ["country"] = Partner.Country,
            ["region"] = Partner.Region is null ? null : new JsonObject { ["ja"] = Partner.Region.Ja, ["en"] = Partner.Region.En },
            ["website"] = Partner.Website?.ToString(),
        }.ToJsonString() + "\n";

        public static JsonObject Terminate => new() { ["on"] = "2026-03-31", ["reason"] = "Superseded by the 2026 agreement." };

        public static JsonObject Renew => new()
        {
            ["signedOn"] = "2026-09-07",
            ["validity"] = new JsonObject { ["from"] = "2026-09-07", ["termMonths"] = 60 },
        };
    }
}
