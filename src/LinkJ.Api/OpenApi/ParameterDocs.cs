using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.Webhooks;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Partners;

namespace LinkJ.Api.OpenApi;

/// <summary>What each query or path parameter means: one text per name, so a parameter reads the same on every operation.</summary>
internal static class ParameterDocs
{
    public sealed record Doc(string Description, string Example, int? MaxLength = null, IReadOnlyList<string>? Allowed = null);

    public static readonly IReadOnlyDictionary<string, Doc> ByName = new Dictionary<string, Doc>(StringComparer.Ordinal)
    {
        ["dryRun"] = new("true: check every row and answer what the import would do, writing nothing (default false).", string.Empty),
        ["mode"] = new("atomic (default): all rows or none; per-row: each good row on its own, bad rows listed.", "atomic", Allowed: ["atomic", "per-row"]),
        ["source"] = new("The external source of rows that name only their external id (e.g. your spreadsheet's name).", "mou-sheet", MaxLength: 100),
        ["country"] = new("The partner's country: an ISO 3166-1 alpha-2 code (JP, US, GB, FR, ...).", "JP", MaxLength: 2),
        ["kind"] = new("The partner's kind.", "local-government", Allowed: Values<PartnerKind>()),
        ["partnerKind"] = new("The partner's kind.", "local-government", Allowed: Values<PartnerKind>()),
        ["scope"] = new("A cooperation scope code the agreement must list (see /api/v1/cooperation-scopes).", "event-cooperation", MaxLength: 80),
        ["status"] = new("The agreement's status.", "active", Allowed: Values<AgreementStatus>()),
        ["signedFrom"] = new("Signed on or after: YYYY-MM-DD, or YYYY-MM for the start of a month.", "2018-01", MaxLength: 10),
        ["signedTo"] = new("Signed on or before: YYYY-MM-DD, or YYYY-MM for the end of a month.", "2020-12", MaxLength: 10),
        ["expiringWithin"] = new("Only agreements in force whose last day falls between today (Japan) and today + this ISO 8601 duration: P90D, P12W, P3M, P1Y (at most P10Y).", "P90D", MaxLength: 24),
        ["token"] = new("Your API key's calendar feed token (`keys feed-token <prefix>`; docs/webhooks.md). A secret: revoking the key revokes it.", "ljcal_1a2b3c4d_" + new string('0', 64), MaxLength: 79),
        ["limit"] = new($"Page size, 1 to {PageLimits.Max} (default {PageLimits.Default}).", "20"),
        ["cursor"] = new("The `next` value of the previous page; omit it for the first page. Opaque: do not build or edit one.", "", MaxLength: Cursor.MaxLength),
        ["after"] = new("The `next` of your previous read (or any change's `cursor`); omit it to read from the beginning.", "", MaxLength: Cursor.MaxLength),
        ["source"] = new("Your system's name, a slug such as crm or member-db.", "crm", MaxLength: 40),
        ["externalId"] = new("Your system's id for the record.", "A-1024", MaxLength: 200),
        ["q"] = new("Text to find in names, short names and titles, in Japanese or English; case and full-/half-width do not matter (ＵＣＬＡ = ucla).", "大阪", MaxLength: 200),
        ["year"] = new("Signed in this year.", "2018"),
        ["sort"] = new("Agreements: signedOn (default), -signedOn (newest first), name, -name (the partner's, in the negotiated language); partners: since (default), name, -name.", "-signedOn", MaxLength: 10),
        ["format"] = new("json (default) or csv: csv (like `Accept: text/csv`) answers 303 to export.csv with the same filters.", "json", Allowed: ["json", "csv"]),
        ["lang"] = new("The language of the display texts (`localized`): ja or en. Overrides Accept-Language (also read, with q-values); Japanese by default.", "en", Allowed: ["ja", "en"]),
        ["idOrSlug"] = new("A partner's id or slug.", "osaka-prefecture", MaxLength: 80),
        ["id"] = new("An agreement's id.", Examples.OsakaAgreementId, MaxLength: 36),
        ["documentId"] = new("A document's id.", Examples.OsakaRelease.Id.ToString(), MaxLength: 36),
    };

    /// <summary>The webhook operations' own: their ids are subscriptions' and deliveries', their pages up to 200.</summary>
    public static readonly IReadOnlyDictionary<string, Doc> Webhooks = new Dictionary<string, Doc>(StringComparer.Ordinal)
    {
        ["id"] = new("A webhook subscription's id.", "0193a5e0-7c1e-7b7a-9f00-4c494e4b4a01", MaxLength: 36),
        ["deliveryId"] = new("A delivery's id (from the delivery log).", "0193a5e0-7c1e-7b7a-9f00-4c494e4b4a03", MaxLength: 36),
        ["before"] = new("The `next` of the previous page; omit it for the newest.", string.Empty, MaxLength: 20),
        ["limit"] = new($"Page size, {DeliveryLogPage.MinLimit} to {DeliveryLogPage.MaxLimit} (default {DeliveryLogPage.DefaultLimit}).", "50"),
    };

    private static string[] Values<TEnum>()
        where TEnum : struct, Enum => [.. Enum.GetValues<TEnum>().Select(WireEnum.ToWire)];
}
