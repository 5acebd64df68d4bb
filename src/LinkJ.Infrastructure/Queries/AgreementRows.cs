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
/// The running numbers, read in one place: derived by the database in the query's snapshot from the year and month
/// tallies and the rank inside the month (ADR 0033), by one SQL function that PostgreSQL inlines into the query
/// (ADR 0041), and turned into the wire's <see cref="OrdinalDto"/>. Change how ordinals are kept, change this class.
/// </summary>
internal static class Ordinals
{
    private const string CountsAsPartnership = "linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id)";

    /// <summary>
    /// The join that computes both numbers of agreements aliased <c>a</c> (as <c>o</c>), to follow the query's other
    /// joins. A lateral join is evaluated for every row that reaches it, and a LIMIT above a sort does not stop rows
    /// reaching it: a list numbers the rows of its page only, selected first in a subquery (AgreementQueries.PageThenNumber).
    /// </summary>
    public const string Join =
        $" LEFT JOIN LATERAL linkj_ordinals({CountsAsPartnership}, a.partner_kind, a.signed_on, a.seq) o ON TRUE";

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
