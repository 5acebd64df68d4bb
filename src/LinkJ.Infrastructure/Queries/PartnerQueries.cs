using System.Globalization;
using System.Text.Json;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Dtos;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.Partners;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Npgsql;
using NpgsqlTypes;
using static LinkJ.Infrastructure.Persistence.Configurations.Converters;
using static LinkJ.Infrastructure.Queries.AgreementRows;

namespace LinkJ.Infrastructure.Queries;

/// <summary>The partner reads as SQL, each one statement whose rows become <see cref="PartnerDto"/>s (ADR 0031).</summary>
public sealed class PartnerQueries(ReadDatabase database) : IPartnerQueries
{
    private const string Columns =
        "p.id, p.slug, p.name_ja, p.name_en, p.short_name, p.former_names::text, p.kind, p.country, p.region_ja, p.region_en, " +
        "p.website, p.external_source, p.external_id, p.version, p.created_at, p.updated_at, p.seq";

    public async Task<PartnerDto?> FindAsync(PartnerRef idOrSlug, Language language, CancellationToken cancellationToken)
    {
        var statement = new Statement();
        if (IdOrSlug(statement, idOrSlug) is not { } condition)
        {
            return null;
        }

        statement.Append($"SELECT {Columns} FROM partners p WHERE {condition} AND p.deleted_at IS NULL");
        return await database.ReadAsync(statement, async (reader, token) => await reader.ReadAsync(token) ? Read(reader, language) : null, cancellationToken);
    }

    public async Task<Guid?> FindIdAsync(PartnerRef idOrSlug, bool liveOnly, CancellationToken cancellationToken)
    {
        var statement = new Statement();
        if (IdOrSlug(statement, idOrSlug) is not { } condition)
        {
            return null;
        }

        statement.Append($"SELECT p.id FROM partners p WHERE {condition}{(liveOnly ? " AND p.deleted_at IS NULL" : string.Empty)}");
        return await database.ReadAsync(statement, async (reader, token) => await reader.ReadAsync(token) ? reader.GetGuid(0) : (Guid?)null, cancellationToken);
    }

    public async Task<Slice<PartnerDto>> ListAsync(PartnerCriteria criteria, Language language, CancellationToken cancellationToken)
    {
        var statement = new Statement();
        var where = "p.deleted_at IS NULL";
        if (criteria.Country is { } country)
        {
            where += $" AND p.country = {statement.Add(country.Value, NpgsqlDbType.Char)}";
        }

        if (criteria.Kind is { } kind)
        {
            where += $" AND p.kind = {statement.Add(WireEnum.ToWire(kind))}";
        }

        if (criteria.Search is { } term)
        {
            where += $" AND p.search_text LIKE {statement.Add(term.ContainsPattern)} ESCAPE '\\'";
        }

        var sortName = language == Language.English ? "coalesce(p.name_en, p.name_ja)" : "p.name_ja";
        if (criteria.After is { } after)
        {
            var seq = statement.Add(after.Seq);
            where += criteria.Sort switch
            {
                PartnerSort.Name => $" AND ({sortName} > {statement.Add(NameOf(after), NpgsqlDbType.Text)} OR ({sortName} = ${statement.Count} AND p.seq > {seq}))",
                PartnerSort.NameDescending => $" AND ({sortName} < {statement.Add(NameOf(after), NpgsqlDbType.Text)} OR ({sortName} = ${statement.Count} AND p.seq < {seq}))",
                _ => $" AND p.seq > {seq}",
            };
        }

        var order = criteria.Sort switch
        {
            PartnerSort.Name => $"{sortName}, p.seq",
            PartnerSort.NameDescending => $"{sortName} DESC, p.seq DESC",
            _ => "p.seq",
        };
        statement.Append($"SELECT {Columns} FROM partners p WHERE {where} ORDER BY {order} LIMIT {statement.Add(criteria.Limit + 1)}");

        return await database.ReadAsync(statement, async (reader, token) =>
        {
            var items = new List<PartnerDto>(criteria.Limit + 1);
            var lastSeq = 0L;
            while (await reader.ReadAsync(token))
            {
                if (items.Count == criteria.Limit)
                {
                    // The name the page was sorted by is the partner's display name.
                    return new Slice<PartnerDto>(items, criteria.Sort == PartnerSort.Since ? new PageKey(lastSeq) : new PageKey(lastSeq, Name: items[^1].Localized.Name));
                }

                items.Add(Read(reader, language));
                lastSeq = reader.GetInt64(16);
            }

            return new Slice<PartnerDto>(items, null);
        }, cancellationToken);
    }

    /// <summary>The name a page by name starts after (typed from the cursor at the edge, ADR 0050).</summary>
    private static string NameOf(PageKey after) => after.Name ?? throw new InvalidOperationException("A cursor by name carries a name.");

    /// <summary>The condition that finds the partner <paramref name="partner"/> names (parsed at the edge); null when it names none.</summary>
    private static string? IdOrSlug(Statement statement, PartnerRef partner) =>
        partner.Id is { } id ? $"p.id = {statement.Add(id)}"
        : partner.Slug is { } slug ? $"p.slug = {statement.Add(slug.Value, NpgsqlDbType.Varchar)}"
        : null;

    private static PartnerDto Read(NpgsqlDataReader r, Language language)
    {
        var name = new BilingualTextDto(r.GetString(2), Text(r, 3));
        var kind = Wire<PartnerKind>(r.GetString(6));
        var country = r.GetString(7);
        var region = r.IsDBNull(8) ? null : new BilingualTextDto(r.GetString(8), Text(r, 9));
        return new PartnerDto
        {
            Id = r.GetGuid(0),
            Slug = r.GetString(1),
            Name = name,
            ShortName = Text(r, 4),
            FormerNames = FormerNames(r.GetString(5)),
            Kind = kind,
            Country = country,
            IsOverseas = !CountryCode.Create(country).IsJapan,
            Region = region,
            Website = r.IsDBNull(10) ? null : new Uri(r.GetString(10), UriKind.RelativeOrAbsolute),
            ExternalRef = r.IsDBNull(11) ? null : new ExternalReferenceDto(r.GetString(11), r.GetString(12)),
            Localized = new LocalizedPartnerDto(language.Code(), In(name, language), kind.Label(language), region is null ? null : In(region, language)),
            Version = r.GetInt32(13),
            CreatedAt = r.GetFieldValue<DateTimeOffset>(14),
            UpdatedAt = r.GetFieldValue<DateTimeOffset>(15),
        };
    }

    private static readonly IReadOnlyList<FormerNameDto> NoFormerNames = [];

    private static IReadOnlyList<FormerNameDto> FormerNames(string json) => json == "[]"
        ? NoFormerNames
        : [.. (JsonSerializer.Deserialize<List<StoredFormerName>>(json, JsonOptions) ?? [])
            .Select(f => new FormerNameDto(Dto(f.Name)!, f.Until is null ? null : PartialDate.Parse(f.Until).ToString()))];

    private sealed record StoredFormerName(StoredText Name, string? Until);
}
