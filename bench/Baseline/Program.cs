// The baseline of bench/: the same reads as LinkJ.Api, with the same SQL, on plain Npgsql, writing JSON by hand:
// no mediator, no EF Core, no mapping, no validation, no caching. The benchmark reports the API's figures as ratios
// of these, measured in the same run.
using System.Globalization;
using System.Text.Json;
using Npgsql;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
// The API's connection defaults (Infrastructure's WithConnectionDefaults): sessions kept, repeated statements prepared, no JIT.
var connectionString = new NpgsqlConnectionStringBuilder(builder.Configuration.GetConnectionString("LinkJ"))
{
    NoResetOnClose = true,
    MaxAutoPrepare = 64,
    AutoPrepareMinUsages = 2,
    Options = "-c jit=off",
};
var dataSource = new NpgsqlDataSourceBuilder(connectionString.ConnectionString).Build();
var app = builder.Build();

const string AgreementColumns = """
    a.id, a.partner_id, p.slug, p.name_ja, p.name_en, p.kind, p.country, a.type, a.title_ja, a.title_en,
    a.signed_on, a.signed_on_precision, a.status, a.valid_from, a.valid_until, a.scopes, a.version, a.updated_at,
    o.overall, o.within_kind, a.seq
    """;

// The API's running numbers (Infrastructure's Ordinals.Join, ADR 0041).
const string Ordinals = " LEFT JOIN LATERAL linkj_ordinals(linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id), a.partner_kind, a.signed_on, a.seq) o ON TRUE";

app.MapGet("/agreements/{id:guid}", async (Guid id, HttpContext http) =>
{
    await using var command = dataSource.CreateCommand(
        $"SELECT {AgreementColumns} FROM agreements a JOIN partners p ON p.id = a.partner_id{Ordinals} WHERE a.id = $1 AND a.deleted_at IS NULL");
    command.Parameters.AddWithValue(id);
    await WriteAgreementsAsync(http, command, single: true);
});

app.MapGet("/agreements", async (string? country, string? q, int? limit, string? afterDate, long? afterSeq, HttpContext http) =>
{
    var sql = $"SELECT {AgreementColumns} FROM agreements a JOIN partners p ON p.id = a.partner_id{Ordinals} WHERE a.deleted_at IS NULL";
    await using var command = dataSource.CreateCommand();
    if (country is not null)
    {
        sql += " AND p.country = $" + (command.Parameters.Count + 1);
        // Typed as EF types it (character(2)): sent as text, the column would be cast and the plan changes (30× slower).
        command.Parameters.Add(new NpgsqlParameter { Value = country, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Char });
    }

    if (q is not null)
    {
        var n = command.Parameters.Count + 1;
        sql += $" AND (a.search_text LIKE ${n} OR p.search_text LIKE ${n})";
        command.Parameters.AddWithValue("%" + q.Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant() + "%");
    }

    if (afterDate is not null && afterSeq is not null)
    {
        var n = command.Parameters.Count + 1;
        sql += $" AND (a.signed_on, a.seq) > (${n}, ${n + 1})";
        command.Parameters.AddWithValue(DateOnly.ParseExact(afterDate, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue(afterSeq.Value);
    }

    sql += " ORDER BY a.signed_on, a.seq LIMIT $" + (command.Parameters.Count + 1);
    command.Parameters.AddWithValue((limit ?? 20) + 1);
    command.CommandText = sql;
    await WriteAgreementsAsync(http, command, single: false);
});

// The API's statistics SQL (ADR 0010): the tallies the triggers keep, and the first and latest partnership by running
// number; the sums, the running total per year and the sorting are done here by hand.
app.MapGet("/stats", async (HttpContext http) =>
{
    await using var connection = await dataSource.OpenConnectionAsync();
    var partners = new List<(string Country, string Kind, int Count)>();
    var partnerships = new List<(string Country, string Kind, int Year, int Count)>();
    var statuses = new Dictionary<string, long>();
    var scopes = new List<(string Code, long Count)>();
    await using (var reader = await new NpgsqlCommand("SELECT p.country, p.kind, p.count::int FROM partner_tallies AS p WHERE p.count > 0", connection).ExecuteReaderAsync())
    {
        while (await reader.ReadAsync())
        {
            partners.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }
    }

    await using (var reader = await new NpgsqlCommand("SELECT p.country, p.kind, p.year, p.count::int FROM partnership_tallies AS p WHERE p.count > 0", connection).ExecuteReaderAsync())
    {
        while (await reader.ReadAsync())
        {
            partnerships.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)));
        }
    }

    await using (var reader = await new NpgsqlCommand("SELECT a.status, a.count FROM agreement_status_tallies AS a WHERE a.count > 0", connection).ExecuteReaderAsync())
    {
        while (await reader.ReadAsync())
        {
            statuses[reader.GetString(0)] = reader.GetInt64(1);
        }
    }

    await using (var reader = await new NpgsqlCommand("SELECT s.code, s.count FROM scope_tallies AS s WHERE s.count > 0", connection).ExecuteReaderAsync())
    {
        while (await reader.ReadAsync())
        {
            scopes.Add((reader.GetString(0), reader.GetInt64(1)));
        }
    }

    http.Response.ContentType = "application/json";
    await using var json = new Utf8JsonWriter(http.Response.BodyWriter);
    json.WriteStartObject();
    json.WriteStartObject("totals");
    json.WriteNumber("partners", partners.Sum(p => p.Count));
    json.WriteNumber("partnerships", partnerships.Sum(p => p.Count));
    json.WriteNumber("agreements", statuses.Values.Sum());
    json.WriteStartObject("byStatus");
    foreach (var (status, count) in statuses)
    {
        json.WriteNumber(status, count);
    }

    json.WriteEndObject();
    json.WriteEndObject();
    json.WriteStartArray("byCountry");
    foreach (var country in partnerships.GroupBy(p => p.Country).Select(g => (g.Key, Count: g.Sum(p => p.Count))).OrderByDescending(c => c.Count))
    {
        json.WriteStartObject();
        json.WriteString("country", country.Key);
        json.WriteNumber("partners", partners.Where(p => p.Country == country.Key).Sum(p => p.Count));
        json.WriteNumber("partnerships", country.Count);
        json.WriteEndObject();
    }

    json.WriteEndArray();
    json.WriteStartArray("byPartnerKind");
    foreach (var kind in partnerships.GroupBy(p => p.Kind).Select(g => (g.Key, Count: g.Sum(p => p.Count))).OrderByDescending(c => c.Count))
    {
        json.WriteStartObject();
        json.WriteString("kind", kind.Key);
        json.WriteNumber("partnerships", kind.Count);
        json.WriteNumber("partners", partners.Where(p => p.Kind == kind.Key).Sum(p => p.Count));
        json.WriteEndObject();
    }

    json.WriteEndArray();
    json.WriteStartArray("byYear");
    var cumulative = 0;
    foreach (var year in partnerships.GroupBy(p => p.Year).Select(g => (g.Key, Count: g.Sum(p => p.Count))).OrderBy(y => y.Key))
    {
        cumulative += year.Count;
        json.WriteStartObject();
        json.WriteNumber("year", year.Key);
        json.WriteNumber("partnerships", year.Count);
        json.WriteNumber("cumulative", cumulative);
        json.WriteEndObject();
    }

    json.WriteEndArray();
    json.WriteStartArray("byScope");
    foreach (var (code, count) in scopes.OrderByDescending(s => s.Count))
    {
        json.WriteStartObject();
        json.WriteString("code", code);
        json.WriteNumber("partnerships", count);
        json.WriteEndObject();
    }

    json.WriteEndArray();
    foreach (var (name, order) in new[] { ("first", "ASC"), ("latest", "DESC") })
    {
        await using var command = new NpgsqlCommand(
            "SELECT a.id, o.overall, o.within_kind, " +
            "a.signed_on, p.slug, p.name_ja, p.name_en, p.kind, p.country " +
            $"FROM agreements AS a INNER JOIN partners AS p ON a.partner_id = p.id{Ordinals} " +
            "WHERE linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id) " +
            $"ORDER BY a.signed_on {order}, a.seq {order} LIMIT 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            json.WriteStartObject(name);
            json.WriteString("agreementId", reader.GetGuid(0));
            json.WriteString("signedOn", reader.GetFieldValue<DateOnly>(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteStartObject("partner");
            json.WriteString("slug", reader.GetString(4));
            json.WriteString("name", reader.GetString(5));
            json.WriteString("kind", reader.GetString(7));
            json.WriteString("country", reader.GetString(8));
            json.WriteEndObject();
            json.WriteStartObject("ordinal");
            json.WriteNumber("overall", reader.GetInt64(1));
            json.WriteNumber("withinPartnerKind", reader.GetInt64(2));
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    json.WriteEndObject();
});

app.MapGet("/changes", async (long? after, int? limit, HttpContext http) =>
{
    await using var command = dataSource.CreateCommand(
        "SELECT position, resource_type, resource_id, operation, version, occurred_at FROM changes WHERE position > $1 ORDER BY position LIMIT $2");
    command.Parameters.AddWithValue(after ?? 0);
    command.Parameters.AddWithValue(limit ?? 100);
    http.Response.ContentType = "application/json";
    await using var json = new Utf8JsonWriter(http.Response.BodyWriter);
    await using var reader = await command.ExecuteReaderAsync();
    json.WriteStartObject();
    json.WriteStartArray("items");
    long last = after ?? 0;
    while (await reader.ReadAsync())
    {
        last = reader.GetInt64(0);
        json.WriteStartObject();
        json.WriteNumber("position", last);
        json.WriteString("resourceType", reader.GetString(1));
        json.WriteString("resourceId", reader.GetGuid(2));
        json.WriteString("operation", reader.GetString(3));
        json.WriteNumber("version", reader.GetInt32(4));
        json.WriteString("occurredAt", reader.GetFieldValue<DateTimeOffset>(5));
        json.WriteEndObject();
    }

    json.WriteEndArray();
    json.WriteNumber("next", last);
    json.WriteEndObject();
});

app.MapGet("/health", () => "ok");
app.Run();

static async Task WriteAgreementsAsync(HttpContext http, NpgsqlCommand command, bool single)
{
    await using var reader = await command.ExecuteReaderAsync();
    if (single && !await reader.ReadAsync())
    {
        http.Response.StatusCode = 404;
        return;
    }

    http.Response.ContentType = "application/json";
    await using var json = new Utf8JsonWriter(http.Response.BodyWriter);
    if (single)
    {
        WriteAgreement(json, reader);
    }
    else
    {
        json.WriteStartObject();
        json.WriteStartArray("items");
        while (await reader.ReadAsync())
        {
            WriteAgreement(json, reader);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}

static void WriteAgreement(Utf8JsonWriter json, NpgsqlDataReader r)
{
    json.WriteStartObject();
    json.WriteString("id", r.GetGuid(0));
    json.WriteStartObject("partner");
    json.WriteString("id", r.GetGuid(1));
    json.WriteString("slug", r.GetString(2));
    json.WriteStartObject("name");
    json.WriteString("ja", r.GetString(3));
    json.WriteString("en", r.IsDBNull(4) ? null : r.GetString(4));
    json.WriteEndObject();
    json.WriteString("kind", r.GetString(5));
    json.WriteString("country", r.GetString(6));
    json.WriteEndObject();
    json.WriteString("type", r.GetString(7));
    json.WriteStartObject("title");
    json.WriteString("ja", r.GetString(8));
    json.WriteString("en", r.IsDBNull(9) ? null : r.GetString(9));
    json.WriteEndObject();
    json.WriteString("signedOn", r.GetFieldValue<DateOnly>(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    json.WriteString("signedOnPrecision", r.GetString(11));
    json.WriteString("status", r.GetString(12));
    json.WriteStartObject("validity");
    json.WriteString("from", r.GetFieldValue<DateOnly>(13).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    json.WriteString("until", r.IsDBNull(14) ? null : r.GetFieldValue<DateOnly>(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    json.WriteEndObject();
    json.WriteStartArray("scopes");
    foreach (var scope in r.GetFieldValue<string[]>(15))
    {
        json.WriteStringValue(scope);
    }

    json.WriteEndArray();
    json.WriteNumber("version", r.GetInt32(16));
    json.WriteString("updatedAt", r.GetFieldValue<DateTimeOffset>(17));
    if (!r.IsDBNull(18))
    {
        json.WriteStartObject("ordinal");
        json.WriteNumber("overall", r.GetInt64(18));
        json.WriteNumber("withinPartnerKind", r.GetInt64(19));
        json.WriteEndObject();
    }

    json.WriteEndObject();
}
