using System.Text.Json.Nodes;

namespace LinkJ.Api.IntegrationTests.Fuzz;

/// <summary>One operation of the OpenAPI document, as the fuzzer needs it.</summary>
public sealed record FuzzOperation(
    string Method,
    string Path,
    IReadOnlyList<FuzzParameter> Parameters,
    IReadOnlySet<int> DocumentedStatuses,
    string? BodyMediaType,
    JsonObject? BodySchema,
    bool NeedsKey,
    string? FileMediaType = null,
    string? FileExample = null)
{
    public string Name => $"{Method} {Path}";

    /// <summary>Every operation of the document, with $refs resolved.</summary>
    public static IReadOnlyList<FuzzOperation> AllIn(JsonNode document)
    {
        var operations = new List<FuzzOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                var operation = node!.AsObject();
                var parameters = (operation["parameters"]?.AsArray() ?? [])
                    .Select(p => new FuzzParameter(
                        p!["name"]!.GetValue<string>(),
                        p["in"]!.GetValue<string>(),
                        Resolve(document, p["schema"]) ?? [],
                        p["required"]?.GetValue<bool>() ?? false))
                    .ToList();
                // A range ("5XX") would stand for its whole class; the document lists 500 and 503 themselves (ADR 0040).
                var statuses = operation["responses"]!.AsObject()
                    .SelectMany(r => r.Key.EndsWith("XX", StringComparison.Ordinal)
                        ? Enumerable.Range((r.Key[0] - '0') * 100, 100)
                        : [int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture)])
                    .ToHashSet();
                // A JSON body only: an import's body is a file (JSON lines or CSV), sent without one it is a 415.
                var content = operation["requestBody"]?["content"]?.AsObject()
                    .Where(c => c.Key == "application/json" || c.Key.EndsWith("+json", StringComparison.Ordinal)).Select(c => (KeyValuePair<string, JsonNode?>?)c).FirstOrDefault();
                // Otherwise (an import) a file: its first media type, with the document's example as the valid body (sent as it is).
                var file = content is null
                    ? operation["requestBody"]?["content"]?.AsObject().Select(c => (KeyValuePair<string, JsonNode?>?)c).FirstOrDefault()
                    : null;
                var needsKey = operation["security"]?.AsArray().Count > 0;
                operations.Add(new FuzzOperation(
                    method.ToUpperInvariant(),
                    path,
                    parameters,
                    statuses,
                    content?.Key,
                    content is { } c ? Resolve(document, c.Value!["schema"]) : null,
                    needsKey,
                    file?.Key,
                    file?.Value?["example"]?.GetValue<string>()));
            }
        }

        return operations;
    }

    /// <summary>The schema itself, or what its $ref (or the one non-null branch of allOf/oneOf/anyOf) points to.</summary>
    public static JsonObject? Resolve(JsonNode document, JsonNode? schema)
    {
        if (schema is not JsonObject obj)
        {
            return null;
        }

        if (obj["$ref"]?.GetValue<string>() is { } reference)
        {
            var name = reference.Split('/')[^1];
            return Resolve(document, document["components"]!["schemas"]![name]);
        }

        foreach (var combinator in new[] { "allOf", "oneOf", "anyOf" })
        {
            if (obj[combinator] is JsonArray branches)
            {
                return Resolve(document, branches.FirstOrDefault(b => b?["type"]?.ToString() != "null"));
            }
        }

        return obj;
    }

    /// <summary>The schema's type, ignoring "null" in OpenAPI 3.1 type lists.</summary>
    public static string? TypeOf(JsonObject schema) => schema["type"] switch
    {
        JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
        JsonValue type => type.GetValue<string>(),
        _ => schema["properties"] is not null ? "object" : null,
    };
}

/// <summary>A path, query or header parameter.</summary>
public sealed record FuzzParameter(string Name, string In, JsonObject Schema, bool Required);
