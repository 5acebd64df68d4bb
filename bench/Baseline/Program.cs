// The baseline of bench/: the same reads as LinkJ.Api, with the same SQL, on plain Npgsql, writing JSON by hand:
// no mediator, no EF Core, no mapping, no validation, no caching. The benchmark reports the API's figures as ratios
// of these, measured in the same run.
using System.Globalization;
using System.Text.Json;
using Npgsql;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var dataSource = new NpgsqlDataSourceBuilder(builder.Configuration.GetConnectionString("LinkJ")).Build();
var app = builder.Build();

const string AgreementColumns = """
    a.id, a.partner_id, p.slug, p.name_ja, p.name_en, p.kind, p.country, a.type, a.title_ja, a.title_en,
    a.signed_on, a.signed_on_precision, a.status, a.valid_from, a.valid_until, a.scopes, a.version, a.updated_at,
    a.ordinal_overall, a.ordinal_within_kind, a.seq
    """;

app.MapGet("/agreements/{id:guid}", async (Guid id, HttpContext http) =>
{
    await using var command = dataSource.CreateCommand(
        $"SELECT {AgreementColumns} FROM agreements a JOIN partners p ON p.id = a.partner_id WHERE a.id = $1 AND a.deleted_at IS NULL");
    command.Parameters.AddWithValue(id);
    await WriteAgreementsAsync(http, command, single: true);
});

app.MapGet("/agreements", async (string? country, string? q, int? limit, string? afterDate, long? afterSeq, HttpContext http) =>
{
    var sql = $"SELECT {AgreementColumns} FROM agreements a JOIN partners p ON p.id = a.partner_id WHERE a.deleted_at IS NULL";
    await using var command = dataSource.CreateCommand();
    if (country is not null)
    {
        sql += " AND p.country = $" + (command.Parameters.Count + 1);
        command.Parameters.AddWithValue(country);
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

app.MapGet("/stats", async (HttpContext http) =>
{
    http.Response.ContentType = "application/json";
    await using var json = new Utf8JsonWriter(http.Response.BodyWriter);
    json.WriteStartObject();
    await using var connection = await dataSource.OpenConnectionAsync();
    foreach (var (name, sql) in new[]
    {
        ("byCountry", "SELECT p.country, count(*) FROM agreements a JOIN partners p ON p.id = a.partner_id WHERE a.ordinal_overall IS NOT NULL GROUP BY p.country"),
        ("byPartnerKind", "SELECT p.kind, count(*) FROM agreements a JOIN partners p ON p.id = a.partner_id WHERE a.ordinal_overall IS NOT NULL GROUP BY p.kind"),
        ("byYear", "SELECT extract(year FROM a.signed_on)::text, count(*) FROM agreements a WHERE a.ordinal_overall IS NOT NULL GROUP BY 1"),
        ("byStatus", "SELECT status, count(*) FROM agreements WHERE deleted_at IS NULL GROUP BY status"),
        ("byScope", "SELECT s, count(*) FROM agreements a, unnest(a.scopes) s WHERE a.ordinal_overall IS NOT NULL GROUP BY s"),
        ("partners", "SELECT p.country, count(*) FROM partners p WHERE p.deleted_at IS NULL GROUP BY p.country"),
    })
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        json.WriteStartObject(name);
        while (await reader.ReadAsync())
        {
            json.WriteNumber(reader.GetString(0), reader.GetInt64(1));
        }

        json.WriteEndObject();
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
