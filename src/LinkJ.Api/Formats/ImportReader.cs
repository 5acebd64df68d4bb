using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinkJ.Api.Errors;
using LinkJ.Application.Agreements;
using LinkJ.Application.Agreements.Commands.ImportAgreements;
using LinkJ.Application.Common.Dtos;
using LinkJ.Application.Common.Imports;
using LinkJ.Application.Partners;
using LinkJ.Application.Partners.Commands.ImportPartners;

namespace LinkJ.Api.Formats;

/// <summary>
/// Reads an import's body as it streams in (ADR 0034): JSON lines (one record a line) or the CSV that export.csv writes
/// (RFC 4180, UTF-8, with or without a BOM), record by record, into the rows of an import command. Nothing holds the
/// body as one string: a line or a CSV record at a time. A row that cannot be read carries its errors and fails alone;
/// a body that is not a file of either kind (an unknown CSV column, too many rows) is a 400.
/// </summary>
public static class ImportReader
{
    /// <summary>The largest import body: 20 MiB (about 50,000 agreements in CSV).</summary>
    public const long MaxBodyBytes = 20 * 1024 * 1024;

    public const string JsonLines = "application/x-ndjson";
    public const string JsonLinesAlias = "application/jsonl";
    public static readonly string[] MediaTypes = [JsonLines, JsonLinesAlias, Csv.MediaType];

    private static readonly JsonDocumentOptions LineOptions = new() { MaxDepth = Http.RequestLimits.MaxJsonDepth };

    private static readonly HashSet<string> AgreementExportOnly = new(StringComparer.Ordinal)
    {
        "partner_name_ja", "partner_name_en", "partner_country", "partner_kind", "signed_on_precision", "scope_labels",
        "ordinal", "ordinal_within_partner_kind", "version", "updated_at",
    };

    private static readonly HashSet<string> PartnerExportOnly = new(StringComparer.Ordinal) { "overseas", "version", "updated_at" };

    /// <summary>Whether the request's body is an import this reader takes: JSON lines or CSV; otherwise 415.</summary>
    private static bool IsCsv(HttpRequest request)
    {
        var mediaType = request.ContentType is { } contentType && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            ? parsed.MediaType.ToString().ToLowerInvariant()
            : null;
        return mediaType switch
        {
            JsonLines or JsonLinesAlias => false,
            Csv.MediaType => true,
            _ => throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType,
                $"Send the import as {JsonLines} (or {JsonLinesAlias}): one JSON record a line, or as {Csv.MediaType}: the columns of export.csv."),
        };
    }

    public static async Task<List<AgreementImportRow>> ReadAgreementsAsync(HttpRequest request, string? source, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var rows = new List<AgreementImportRow>();
        if (IsCsv(request))
        {
            await foreach (var (row, cells) in CsvRecordsAsync(request.Body, AgreementExportOnly, AgreementColumns, cancellationToken))
            {
                rows.Add(AgreementFromCsv(row, cells, source));
            }
        }
        else
        {
            await foreach (var (row, line) in LinesAsync(request.Body, cancellationToken))
            {
                rows.Add(AgreementFromJson(row, line, source, json));
            }
        }

        return rows;
    }

    public static async Task<List<PartnerImportRow>> ReadPartnersAsync(HttpRequest request, string? source, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var rows = new List<PartnerImportRow>();
        if (IsCsv(request))
        {
            await foreach (var (row, cells) in CsvRecordsAsync(request.Body, PartnerExportOnly, PartnerColumns, cancellationToken))
            {
                rows.Add(PartnerFromCsv(row, cells, source));
            }
        }
        else
        {
            await foreach (var (row, line) in LinesAsync(request.Body, cancellationToken))
            {
                rows.Add(PartnerFromJson(row, line, source, json));
            }
        }

        return rows;
    }

    private static readonly HashSet<string> AgreementColumns = new(StringComparer.Ordinal)
    {
        "id", "external_source", "external_id", "partner_id", "partner_slug", "type", "title_ja", "title_en", "signed_on", "status",
        "valid_from", "valid_until", "scopes",
    };

    private static readonly HashSet<string> PartnerColumns = new(StringComparer.Ordinal)
    {
        "id", "external_source", "external_id", "slug", "name_ja", "name_en", "short_name", "kind", "country", "region_ja", "region_en",
        "website", "former_names_ja",
    };

    private static AgreementImportRow AgreementFromJson(int row, string line, string? source, JsonSerializerOptions json)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (key, record) = KeyOf(line, source, errors);
        string? partnerSlug = null;
        NewAgreementInput input = new();
        if (record is not null)
        {
            if (record.Remove("partnerSlug", out var slug))
            {
                partnerSlug = slug is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
                if (partnerSlug is null && slug is not null)
                {
                    errors["partnerSlug"] = ["Must be a string."];
                }
            }

            input = Deserialize<NewAgreementInput>(record, json, errors) ?? input;
        }

        return new AgreementImportRow(row, key, partnerSlug, input, null, errors.Count > 0 ? errors : null);
    }

    private static PartnerImportRow PartnerFromJson(int row, string line, string? source, JsonSerializerOptions json)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (key, record) = KeyOf(line, source, errors);
        var input = record is null ? new PartnerInput() : Deserialize<PartnerInput>(record, json, errors) ?? new PartnerInput();
        return new PartnerImportRow(row, key, input, null, errors.Count > 0 ? errors : null);
    }

    /// <summary>A JSON line's record, less its key members: <c>externalRef</c> ({source, id}; the source defaults to ?source=) or <c>id</c>.</summary>
    private static (ImportKey Key, JsonObject? Record) KeyOf(string line, string? source, Dictionary<string, string[]> errors)
    {
        JsonObject? record;
        try
        {
            record = JsonNode.Parse(line, documentOptions: LineOptions) as JsonObject;
        }
        catch (JsonException)
        {
            record = null;
        }

        if (record is null)
        {
            errors[string.Empty] = ["Not a JSON object: each line of JSON lines is one record."];
            return (new ImportKey(null, null, null), null);
        }

        string? externalSource = null, externalId = null;
        Guid? id = null;
        if (record.Remove("externalRef", out var reference) && reference is not null)
        {
            if (reference is JsonObject r && Text(r["source"], out externalSource) && Text(r["id"], out externalId) && r.Count <= 2)
            {
                externalSource ??= source;
            }
            else
            {
                errors["externalRef"] = ["Must be {\"source\": \"…\", \"id\": \"…\"} (source may be left to ?source=)."];
            }
        }

        if (record.Remove("id", out var idNode) && idNode is not null)
        {
            if (Text(idNode, out var idText) && Guid.TryParse(idText, out var parsed))
            {
                id = parsed;
            }
            else
            {
                errors["id"] = ["Must be the id of a stored record (a UUID)."];
            }
        }

        return (new ImportKey(externalSource, externalId, id), record);
    }

    private static bool Text(JsonNode? node, out string? text)
    {
        text = null;
        if (node is null)
        {
            return true;
        }

        return node is JsonValue value && value.TryGetValue(out text);
    }

    private static T? Deserialize<T>(JsonObject record, JsonSerializerOptions json, Dictionary<string, string[]> errors)
        where T : class
    {
        try
        {
            return record.Deserialize<T>(json);
        }
        catch (JsonException exception)
        {
            var path = exception.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : string.Empty;
            errors[path] = ["Unknown field, a value of the wrong type, or malformed JSON."];
            return null;
        }
    }

    private static AgreementImportRow AgreementFromCsv(int row, IReadOnlyDictionary<string, string?> cells, string? source)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var key = CsvKey(cells, source, errors);
        if (cells.ContainsKey("\0count"))
        {
            errors[string.Empty] = ["The row does not have as many cells as the header."];
        }

        var fields = new HashSet<string>(StringComparer.Ordinal);
        string? Cell(string column, string field)
        {
            if (!cells.TryGetValue(column, out var value))
            {
                return null;
            }

            fields.Add(field);
            return value;
        }

        Guid? partnerId = null;
        if (Cell("partner_id", "partner") is { } partnerText)
        {
            if (Guid.TryParse(partnerText, out var parsed))
            {
                partnerId = parsed;
            }
            else
            {
                errors["partnerId"] = ["Must be a partner's id (a UUID)."];
            }
        }

        var partnerSlug = Cell("partner_slug", "partner");
        var scopes = Cell("scopes", "cooperation.scopes");
        var input = new NewAgreementInput
        {
            PartnerId = partnerId,
            Type = Cell("type", "type"),
            Title = new BilingualTextDto(Cell("title_ja", "title.ja")!, Cell("title_en", "title.en")),
            SignedOn = Cell("signed_on", "signedOn"),
            Status = Cell("status", "status"),
            Validity = new ValidityInput(Cell("valid_from", "validity.from"), Cell("valid_until", "validity.until"), null),
            Cooperation = new CooperationInput(scopes is null ? [] : scopes.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), false, null),
        };
        return new AgreementImportRow(row, key, partnerSlug, input, fields, errors.Count > 0 ? errors : null);
    }

    private static PartnerImportRow PartnerFromCsv(int row, IReadOnlyDictionary<string, string?> cells, string? source)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var key = CsvKey(cells, source, errors);
        if (cells.ContainsKey("\0count"))
        {
            errors[string.Empty] = ["The row does not have as many cells as the header."];
        }

        var fields = new HashSet<string>(StringComparer.Ordinal);
        string? Cell(string column, string field)
        {
            if (!cells.TryGetValue(column, out var value))
            {
                return null;
            }

            fields.Add(field);
            return value;
        }

        var formerNames = Cell("former_names_ja", "formerNames");
        var regionJa = Cell("region_ja", "region.ja");
        var regionEn = Cell("region_en", "region.en");
        var input = new PartnerInput
        {
            Slug = Cell("slug", "slug"),
            Name = new BilingualTextDto(Cell("name_ja", "name.ja")!, Cell("name_en", "name.en")),
            ShortName = Cell("short_name", "shortName"),
            Kind = Cell("kind", "kind"),
            Country = Cell("country", "country"),
            Region = regionJa is null && regionEn is null ? null : new BilingualTextDto(regionJa!, regionEn),
            Website = Cell("website", "website"),
            FormerNames = formerNames is null ? [] : [.. formerNames.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => new FormerNameDto(new BilingualTextDto(n, null), null))],
        };
        return new PartnerImportRow(row, key, input, fields, errors.Count > 0 ? errors : null);
    }

    /// <summary>A CSV row's key: <c>external_source</c> (default ?source=) and <c>external_id</c>, else <c>id</c>.</summary>
    private static ImportKey CsvKey(IReadOnlyDictionary<string, string?> cells, string? source, Dictionary<string, string[]> errors)
    {
        cells.TryGetValue("external_id", out var externalId);
        cells.TryGetValue("external_source", out var externalSource);
        Guid? id = null;
        if (cells.TryGetValue("id", out var idText) && idText is not null)
        {
            if (Guid.TryParse(idText, out var parsed))
            {
                id = parsed;
            }
            else
            {
                errors["id"] = ["Must be the id of a stored record (a UUID)."];
            }
        }

        return externalId is null && externalSource is null ? new ImportKey(null, null, id) : new ImportKey(externalSource ?? source, externalId, id);
    }

    /// <summary>The non-empty lines of a JSON lines body, numbered from 1.</summary>
    private static async IAsyncEnumerable<(int Row, string Line)> LinesAsync(Stream body, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var row = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (++row > ImportLimits.MaxRows)
            {
                throw TooManyRows();
            }

            yield return (row, line);
        }
    }

    private static ApiProblemException TooManyRows() =>
        new(StatusCodes.Status400BadRequest, "import.too-many-rows", $"An import takes at most {ImportLimits.MaxRows} rows; split the file.");

    /// <summary>
    /// The records of a CSV body after its header, numbered from 1, as column → cell (an empty cell is null). The header
    /// names the columns: those of export.csv (the ones that are not fields, such as ordinal, are read and ignored),
    /// plus external_source, external_id, and partner_id or type for agreements; any other is a 400.
    /// </summary>
    private static async IAsyncEnumerable<(int Row, IReadOnlyDictionary<string, string?> Cells)> CsvRecordsAsync(
        Stream body, HashSet<string> ignored, HashSet<string> known, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var parser = new CsvParser(reader);
        string[]? header = null;
        var row = 0;
        while (await parser.ReadRecordAsync(cancellationToken) is { } record)
        {
            if (header is null)
            {
                header = [.. record.Select(c => c.Trim())];
                var unknown = header.Where(c => !known.Contains(c) && !ignored.Contains(c)).ToList();
                if (unknown.Count > 0 || header.Distinct(StringComparer.Ordinal).Count() != header.Length)
                {
                    throw new ApiProblemException(StatusCodes.Status400BadRequest, "import.unknown-column",
                        "The header row names columns this import does not know, or one twice. " +
                        $"Columns: {string.Join(", ", known)} (and export.csv's other columns, ignored).",
                        new Dictionary<string, string[]> { ["header"] = [.. unknown.Take(20).Select(c => $"Unknown column: {Truncate(c)}"), .. header.Length != header.Distinct().Count() ? ["A column is named twice."] : Array.Empty<string>()] });
                }

                continue;
            }

            if (record.Count == 1 && record[0].Length == 0)
            {
                continue; // a blank line
            }

            if (++row > ImportLimits.MaxRows)
            {
                throw TooManyRows();
            }

            var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                if (ignored.Contains(header[i]))
                {
                    continue;
                }

                var cell = i < record.Count ? Unprotect(record[i]) : null;
                cells[header[i]] = string.IsNullOrEmpty(cell) ? null : cell;
            }

            if (record.Count != header.Length)
            {
                cells["\0count"] = null;
            }

            yield return (row, cells);
        }

        if (header is null)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "import.empty", "The CSV has no header row.");
        }
    }

    private static string Truncate(string text) => text.Length > 60 ? text[..60] + "…" : text;

    /// <summary>Undoes what export.csv does to a cell that starts like a formula (a leading apostrophe; see <see cref="Csv"/>).</summary>
    private static string Unprotect(string cell) =>
        cell.Length > 1 && cell[0] == '\'' && cell[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? cell[1..] : cell;

    /// <summary>An RFC 4180 reader over a text stream: quoted fields may hold commas, quotes ("") and line breaks.</summary>
    private sealed class CsvParser(TextReader reader)
    {
        private readonly char[] _buffer = new char[64 * 1024];
        private int _length;
        private int _position;

        /// <summary>The longest cell (a cell of export.csv is far shorter): a bound on what one record can hold.</summary>
        private const int MaxCellLength = 100_000;

        private async ValueTask<int> PeekAsync(CancellationToken cancellationToken)
        {
            if (_position == _length)
            {
                _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
                _position = 0;
                if (_length == 0)
                {
                    return -1;
                }
            }

            return _buffer[_position];
        }

        public async ValueTask<List<string>?> ReadRecordAsync(CancellationToken cancellationToken)
        {
            if (await PeekAsync(cancellationToken) < 0)
            {
                return null;
            }

            var fields = new List<string>();
            var cell = new StringBuilder();
            var quoted = false;
            var wasQuoted = false;
            while (true)
            {
                var next = await PeekAsync(cancellationToken);
                if (next < 0)
                {
                    if (quoted)
                    {
                        throw new ApiProblemException(StatusCodes.Status400BadRequest, "import.malformed-csv", "The CSV ends inside a quoted cell.");
                    }

                    fields.Add(cell.ToString());
                    return fields;
                }

                var c = (char)next;
                _position++;
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (await PeekAsync(cancellationToken) == '"')
                        {
                            _position++;
                            cell.Append('"');
                        }
                        else
                        {
                            quoted = false;
                        }
                    }
                    else
                    {
                        cell.Append(c);
                    }
                }
                else if (c == '"' && cell.Length == 0 && !wasQuoted)
                {
                    quoted = wasQuoted = true;
                }
                else if (c == ',')
                {
                    fields.Add(cell.ToString());
                    cell.Clear();
                    wasQuoted = false;
                }
                else if (c is '\r' or '\n')
                {
                    if (c == '\r' && await PeekAsync(cancellationToken) == '\n')
                    {
                        _position++;
                    }

                    fields.Add(cell.ToString());
                    return fields;
                }
                else
                {
                    cell.Append(c);
                }

                if (cell.Length > MaxCellLength)
                {
                    throw new ApiProblemException(StatusCodes.Status400BadRequest, "import.malformed-csv", $"A CSV cell is longer than {MaxCellLength} characters.");
                }
            }
        }
    }
}
