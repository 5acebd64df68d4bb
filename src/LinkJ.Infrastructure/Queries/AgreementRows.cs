using System.Globalization;
using System.Text.Json;
using LinkJ.Application.Agreements;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Dtos;
using LinkJ.Application.CooperationScopes;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Npgsql;
using static LinkJ.Infrastructure.Persistence.Configurations.Converters;

namespace LinkJ.Infrastructure.Queries;

/// <summary>
/// The running numbers, read in one place: derived by the database in the query's snapshot from the year, month and day
/// tallies and the rank inside the day (ADR 0033, 0059), by one SQL function that PostgreSQL inlines into the query
/// (ADR 0041), and turned into the wire's <see cref="OrdinalDto"/>. Change how ordinals are kept, change this class.
/// </summary>
internal static class Ordinals
{
    private const string CountsAsPartnership = "linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id)";

    /// <summary>
    /// The join that computes both numbers of agreements aliased <c>a</c> (as <c>o</c>), row by row, to follow the query's
    /// other joins: for a read by id and the statistics' milestones. A lateral join is evaluated for every row that
    /// reaches it, and a LIMIT above a sort does not stop rows reaching it: a list or search numbers its page only, the
    /// page at once (<see cref="PageNumbers"/>, AgreementQueries.PageThenNumber).
    /// </summary>
    public const string Join =
        $" LEFT JOIN LATERAL linkj_ordinals({CountsAsPartnership}, a.partner_kind, a.signed_on, a.seq) o ON TRUE";

    /// <summary>The partner kinds as the database stores them, written into <see cref="PageNumbers"/>' text (lower-case letters and hyphens only).</summary>
    private static readonly string[] Kinds = Enum.GetValues<PartnerKind>().Select(kind => WireEnum.ToWire(kind)).ToArray() is var kinds
        && kinds.All(kind => kind.All(c => c is (>= 'a' and <= 'z') or '-'))
            ? kinds
            : throw new InvalidOperationException("A partner kind's wire name can only be written into SQL as lower-case letters and hyphens.");

    /// <summary>The partnership rule on agreements aliased <c>b</c> (the SQL function inlines to the counted-order index's predicate).</summary>
    private const string CountedB = "linkj_counts_as_partnership(b.status, b.deleted_at, b.supersedes_id)";

    private static string KindList => string.Join(", ", Kinds.Select(kind => $"'{kind}'"));

    private static string KindColumns(string format, string separator = ", ") =>
        string.Join(separator, Kinds.Select((kind, i) => string.Format(CultureInfo.InvariantCulture, format, kind, i)));

    /// <summary>
    /// The numbers of a page's rows, computed for the page at once (ADR 0057): common table expressions, to follow the
    /// query's own, that number the agreements whose ids the query's CTE <c>page</c> (column <c>id</c>) lists,
    /// into a CTE <c>ordinals (id, overall, within_kind)</c>, joined by <see cref="PageJoin"/>. Each row alone as
    /// <see cref="Join"/> numbers it sums the tallies before its day and counts its day up to it, so a page whose rows share a
    /// month (a list in signing order, a frequent term's walk) did that work once per row. Here
    /// a month with one row of the page is numbered as before (<c>linkj_ordinals</c>); a month with more takes the tallies
    /// before its first row's day once (years, months, days: ADR 0059) and, from the start of that day to the first row and
    /// from each row to the next, only the agreements between them (inside one day by the index, an equality on the day
    /// and a range of sequence numbers; whole days between two rows by their tallies), counted
    /// per partner kind (one column per kind: a count per kind, not a grouping per row), so every row's two numbers are
    /// running sums over its month's rows: overall all kinds, within its kind its own. Same numbers, same snapshot, one
    /// statement; nothing is stored, no write pays for it. <c>PageOrdinalTests</c> holds it to the per-row numbers for
    /// pages of every shape.
    /// </summary>
    public static readonly string PageNumbers =
        $"""
        ordinal_rows AS MATERIALIZED (
            SELECT a.id, a.partner_kind AS kind, a.signed_on, a.seq, date_trunc('month', a.signed_on)::date AS month,
                   lag(a.signed_on) OVER month_order AS prev_signed, lag(a.seq) OVER month_order AS prev_seq,
                   count(*) OVER (PARTITION BY date_trunc('month', a.signed_on)) = 1 AS alone
            FROM page JOIN agreements a ON a.id = page.id
            WHERE {CountsAsPartnership}
            WINDOW month_order AS (PARTITION BY date_trunc('month', a.signed_on) ORDER BY a.signed_on, a.seq)),
        ordinal_steps AS (
            SELECT r.id, r.kind, r.alone, r.month, r.signed_on, r.seq, own.overall AS own_overall, own.within_kind AS own_within, t.*, s.*
            FROM ordinal_rows r
            LEFT JOIN LATERAL linkj_ordinals(r.alone OR r.kind NOT IN ({KindList}), r.kind, r.signed_on, r.seq) own ON TRUE
            LEFT JOIN LATERAL (
                SELECT coalesce(sum(x.n), 0) AS tallied, {KindColumns("coalesce(sum(x.n) FILTER (WHERE x.kind = '{0}'), 0) AS tallied_{1}")}
                FROM (SELECT y.kind, y.count AS n FROM partnership_year_tallies y WHERE y.year < extract(year FROM r.month)::int
                      UNION ALL
                      SELECT m.kind, m.count FROM partnership_month_tallies m
                      WHERE m.month >= date_trunc('year', r.month)::date AND m.month < r.month
                      UNION ALL
                      SELECT d.kind, d.count FROM partnership_day_tallies d WHERE d.day >= r.month AND d.day < r.signed_on) x
                WHERE NOT r.alone AND r.prev_seq IS NULL) t ON TRUE
            LEFT JOIN LATERAL (
                SELECT coalesce(sum(x.n), 0) AS stepped, {KindColumns("coalesce(sum(x.n) FILTER (WHERE x.kind = '{0}'), 0) AS stepped_{1}")}
                FROM (SELECT b.partner_kind AS kind, 1 AS n FROM agreements b
                      WHERE {CountedB} AND b.signed_on = r.signed_on AND b.seq <= r.seq
                        AND b.seq > CASE WHEN r.prev_signed = r.signed_on THEN r.prev_seq ELSE -1 END
                      UNION ALL
                      SELECT b.partner_kind, 1 FROM agreements b
                      WHERE {CountedB} AND b.signed_on = r.prev_signed AND b.seq > r.prev_seq AND r.prev_signed < r.signed_on
                      UNION ALL
                      SELECT d.kind, d.count FROM partnership_day_tallies d WHERE d.day > r.prev_signed AND d.day < r.signed_on) x
                WHERE NOT r.alone) s ON TRUE),
        ordinals AS (
            SELECT n.id,
                   CASE WHEN n.alone THEN n.own_overall ELSE sum(n.tallied + n.stepped) OVER month_order END AS overall,
                   CASE WHEN n.alone THEN n.own_within
                        ELSE CASE n.kind {KindColumns("WHEN '{0}' THEN sum(n.tallied_{1} + n.stepped_{1}) OVER month_order", " ")} ELSE n.own_within END
                   END AS within_kind
            FROM ordinal_steps n
            WINDOW month_order AS (PARTITION BY n.month ORDER BY n.signed_on, n.seq))
        """;

    /// <summary>The join of <see cref="PageNumbers"/>' numbers to agreements aliased <c>a</c> (as <c>o</c>, read by <see cref="Columns"/>).</summary>
    public const string PageJoin = " LEFT JOIN ordinals o ON o.id = a.id";

    /// <summary>The two numbers, in this order (from <see cref="Join"/>); null for an agreement that does not count.</summary>
    public const string Columns = "o.overall, o.within_kind";

    /// <summary>Only the counted agreements (the ones with a running number; the SQL function inlines to the partial index's predicate).</summary>
    public const string Counted = CountsAsPartnership;

    /// <summary>The order of the running numbers: signing order (with <see cref="Counted"/>, served by the counted-order partial index).</summary>
    public const string Order = "a.signed_on, a.seq";

    /// <summary><see cref="Order"/> reversed.</summary>
    public const string OrderDescending = "a.signed_on DESC, a.seq DESC";

    /// <summary>The ordinal read from <see cref="Columns"/> at <paramref name="at"/>; null when the agreement does not count.</summary>
    public static OrdinalDto? Read(NpgsqlDataReader reader, int at) =>
        reader.IsDBNull(at) ? null : new OrdinalDto(reader.GetInt64(at), reader.IsDBNull(at + 1) ? 0 : reader.GetInt64(at + 1));
}

/// <summary>How an agreement row with its partner (agreements <c>a</c> joined to partners <c>p</c>) is selected and turned into its wire form.</summary>
internal static class AgreementRows
{
    /// <summary>The columns <see cref="Read"/> reads, in its order.</summary>
    public const string Columns =
        "a.id, a.type, a.title_ja, a.title_en, a.signed_on, a.signed_on_precision, a.valid_from, a.valid_until, a.term_months, a.status, " +
        "a.scopes, a.scopes_open_ended, a.cooperation_note, a.signatories::text, a.source_note, a.terminated_on, a.termination_reason, " +
        "a.supersedes_id, a.external_source, a.external_id, a.version, a.created_at, a.updated_at, a.seq, " +
        Ordinals.Columns + ", " + PartnerSummaryColumns;

    /// <summary>What an agreement shows of its partner, in the order <see cref="ReadSummary"/> reads it.</summary>
    public const string PartnerSummaryColumns = "p.id, p.slug, p.name_ja, p.name_en, p.short_name, p.kind, p.country";

    private const int OrdinalAt = 24, PartnerAt = 26;

    /// <summary>How many columns <see cref="Columns"/> has (a statement may select more after them).</summary>
    public const int ColumnCount = PartnerAt + 7;

    /// <summary>The agreement as the API shows it, with its scopes labelled from <paramref name="vocabulary"/>.</summary>
    public static AgreementDto Read(NpgsqlDataReader r, IReadOnlyDictionary<string, CooperationScopeDto> vocabulary, Language language)
    {
        var title = new BilingualTextDto(r.GetString(2), Text(r, 3));
        var partner = ReadSummary(r, PartnerAt, language);
        var scopes = r.GetFieldValue<string[]>(10)
            .Select(code => vocabulary.TryGetValue(code, out var scope) ? scope : CooperationScopeMapper.Unlabelled(code))
            .ToList();
        return new AgreementDto
        {
            Id = r.GetGuid(0),
            Partner = partner,
            Type = Wire<AgreementType>(r.GetString(1)),
            Title = title,
            SignedOn = SignedOn(r, 4),
            SignedOnPrecision = Wire<DatePrecision>(r.GetString(5)),
            Validity = new ValidityDto(r.GetFieldValue<DateOnly>(6), Nullable<DateOnly>(r, 7), Nullable<int>(r, 8)),
            Status = Wire<AgreementStatus>(r.GetString(9)),
            Cooperation = new CooperationDto(scopes, r.GetBoolean(11), Text(r, 12)),
            Signatories = Signatories(r.GetString(13)),
            SourceNote = Text(r, 14),
            TerminatedOn = Nullable<DateOnly>(r, 15),
            TerminationReason = Text(r, 16),
            SupersedesId = Nullable<Guid>(r, 17),
            ExternalRef = r.IsDBNull(18) ? null : new ExternalReferenceDto(r.GetString(18), r.GetString(19)),
            Localized = new LocalizedAgreementDto(
                language.Code(),
                In(title, language),
                partner.DisplayName,
                [.. scopes.Select(s => In(s.Label, language))]),
            Ordinal = Ordinals.Read(r, OrdinalAt),
            Version = r.GetInt32(20),
            CreatedAt = r.GetFieldValue<DateTimeOffset>(21),
            UpdatedAt = r.GetFieldValue<DateTimeOffset>(22),
        };
    }

    /// <summary>The signing date at <paramref name="at"/> (with its precision at the next column) as the wire writes it.</summary>
    public static string SignedOn(NpgsqlDataReader r, int at) =>
        PartialDate.From(r.GetFieldValue<DateOnly>(at), Wire<DatePrecision>(r.GetString(at + 1))).ToString();

    /// <summary>The insertion sequence (the tie-break of every sort).</summary>
    public static long Seq(NpgsqlDataReader r) => r.GetInt64(23);

    /// <summary>The signing date (the sort key of the signing-order sorts).</summary>
    public static DateOnly SignedOnDate(NpgsqlDataReader r) => r.GetFieldValue<DateOnly>(4);

    /// <summary>The partner's name in Japanese and English, for the sorts by name.</summary>
    public static (string Ja, string? En) PartnerName(NpgsqlDataReader r) => (r.GetString(PartnerAt + 2), Text(r, PartnerAt + 3));

    /// <summary>The partner's summary from <see cref="PartnerSummaryColumns"/> at <paramref name="at"/>.</summary>
    public static PartnerSummaryDto ReadSummary(NpgsqlDataReader r, int at, Language language)
    {
        var name = new BilingualTextDto(r.GetString(at + 2), Text(r, at + 3));
        return new PartnerSummaryDto
        {
            Id = r.GetGuid(at),
            Slug = r.GetString(at + 1),
            Name = name,
            ShortName = Text(r, at + 4),
            Kind = Wire<PartnerKind>(r.GetString(at + 5)),
            Country = r.GetString(at + 6),
            DisplayName = In(name, language),
        };
    }

    /// <summary>A text in the wanted language, Japanese where it has no English (as <see cref="BilingualText.In"/>).</summary>
    public static string In(BilingualTextDto text, Language language) => language == Language.English ? text.En ?? text.Ja : text.Ja;

    public static string? Text(NpgsqlDataReader r, int at) => r.IsDBNull(at) ? null : r.GetString(at);

    public static T? Nullable<T>(NpgsqlDataReader r, int at)
        where T : struct => r.IsDBNull(at) ? null : r.GetFieldValue<T>(at);

    /// <summary>An enum from its stored wire name.</summary>
    public static TEnum Wire<TEnum>(string value)
        where TEnum : struct, Enum =>
        WireEnum.TryParse<TEnum>(value, out var parsed) ? parsed : throw new InvalidOperationException($"Unknown stored value '{value}' for {typeof(TEnum).Name}.");

    private static readonly IReadOnlyList<SignatoryDto> NoSignatories = [];

    private static IReadOnlyList<SignatoryDto> Signatories(string json) => json == "[]"
        ? NoSignatories
        : [.. (JsonSerializer.Deserialize<List<StoredSignatory>>(json, JsonOptions) ?? []).Select(s => new SignatoryDto(Dto(s.Name)!, Dto(s.Title), Dto(s.Organisation)))];

    /// <summary>A stored text as the wire writes it: through the domain's rules, as the aggregate would have.</summary>
    internal static BilingualTextDto? Dto(StoredText? text) => text is null ? null : BilingualText.Create(text.Ja, text.En).ToDto();

    private sealed record StoredSignatory(StoredText Name, StoredText? Title, StoredText? Organisation);
}
