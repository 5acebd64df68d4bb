using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace LinkJ.Api.IntegrationTests.Infrastructure.Contract;

/// <summary>
/// What the OpenAPI document promises for one response, checked against what the service sent: the status is listed for
/// the operation, the media type is listed for that status, a JSON body is valid against the schema for that status and
/// media type, every header the document marks required is there, and each of <see cref="ListedHeaders"/> that was sent
/// is listed for that response.
/// </summary>
/// <remarks>
/// The document is OpenAPI 3.0: its schemas are turned into JSON Schema 2020-12 (<c>nullable: true</c> becomes a
/// <c>"null"</c> type, <c>#/components/schemas/X</c> becomes <c>#/$defs/X</c>) and evaluated with JsonSchema.Net.
/// Objects the document closes (<c>additionalProperties: false</c>) stay closed, so a field the document does not know
/// is a violation too.
/// </remarks>
public sealed class OpenApiContract
{
    private readonly JsonObject _document;
    private readonly JsonObject _definitions;
    private readonly List<PathTemplate> _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    public OpenApiContract(string documentJson)
    {
        _document = JsonNode.Parse(documentJson)!.AsObject();
        _definitions = new JsonObject();
        foreach (var (name, schema) in _document["components"]?["schemas"]?.AsObject() ?? [])
        {
            _definitions[name] = ToJsonSchema(schema);
        }

        _paths = [.. (_document["paths"]?.AsObject() ?? []).Select(p => new PathTemplate(p.Key))
            // Literal segments win over parameters: /agreements/feed.atom before /agreements/{id}.
            .OrderByDescending(p => p.LiteralSegments)];
    }

    /// <summary>
    /// Headers a client acts on (caching, the language): when the service sends one, the document must list it on that
    /// response. Others (the security headers, Date, Content-Length…) are not the contract's.
    /// </summary>
    public static readonly IReadOnlyList<string> ListedHeaders = ["Vary", "Content-Language", "ETag", "Cache-Control"];

    /// <summary>The document's operation for a method and a path, as "METHOD /template", or null when it lists none.</summary>
    public string? OperationOf(string method, string path) =>
        Find(method, path) is { } found ? $"{method.ToUpperInvariant()} {found.Template}" : null;

    /// <summary>Everything in the response the document does not allow; empty when it keeps the contract.</summary>
    /// <returns>Null when the document has no operation for the request (nothing to check), else the violations.</returns>
    public IReadOnlyList<string>? Check(string method, string path, HttpStatusCode status, string? mediaType,
        IReadOnlyCollection<string> headerNames, byte[] body)
    {
        if (Find(method, path) is not { } found)
        {
            return null;
        }

        var (template, operation) = found;
        var where = $"{method.ToUpperInvariant()} {path} ({template}) → {(int)status}";
        var violations = new List<string>();
        var responses = operation["responses"]?.AsObject() ?? [];
        var code = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var statusKey = responses.ContainsKey(code) ? code
            : responses.ContainsKey(code[0] + "XX") ? code[0] + "XX"
            : responses.ContainsKey("default") ? "default"
            : null;
        if (statusKey is null)
        {
            violations.Add($"{where}: status {code} is not documented (documented: {string.Join(", ", responses.Select(r => r.Key))})");
            return violations;
        }

        var response = Resolve(responses[statusKey]!).AsObject();
        foreach (var (name, header) in response["headers"]?.AsObject() ?? [])
        {
            if (Resolve(header!)["required"]?.GetValue<bool>() == true
                && !headerNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                violations.Add($"{where}: the required header {name} is missing");
            }
        }

        var documented = response["headers"]?.AsObject() ?? [];
        foreach (var name in ListedHeaders)
        {
            if (headerNames.Contains(name, StringComparer.OrdinalIgnoreCase)
                && !documented.Any(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                violations.Add($"{where}: the header {name} is sent but not documented for this response");
            }
        }

        var content = response["content"]?.AsObject();
        if (body.Length == 0 || method.Equals("HEAD", StringComparison.OrdinalIgnoreCase))
        {
            return violations;
        }

        if (content is null || content.Count == 0)
        {
            violations.Add($"{where}: a body of {mediaType ?? "no media type"} where the document lists none");
            return violations;
        }

        var mediaKey = content.Select(c => c.Key).FirstOrDefault(k => MediaMatches(k, mediaType));
        if (mediaKey is null)
        {
            violations.Add($"{where}: media type {mediaType ?? "(none)"} is not documented (documented: {string.Join(", ", content.Select(c => c.Key))})");
            return violations;
        }

        if (!IsJson(mediaKey) || content[mediaKey]?["schema"] is not { } schemaNode)
        {
            return violations;
        }

        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            violations.Add($"{where}: the {mediaType} body is not JSON: {e.Message}");
            return violations;
        }

        var schemaKey = $"{template} {method} {statusKey} {mediaKey}";
        var schema = _schemas.GetOrAdd(schemaKey, _ => Build(schemaNode));
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = result.Details
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
                .Distinct()
                .Take(12);
            violations.Add($"{where}: the {mediaKey} body does not match its schema:\n    " + string.Join("\n    ", errors));
        }

        return violations;
    }

    /// <summary>
    /// What the document's <c>x-webhooks</c> promises of an event the service POSTs to a subscriber: an entry whose
    /// payload schema lists the event's type, a body valid against that schema, and every required header there.
    /// </summary>
    /// <returns>The violations; empty when the delivery keeps the contract.</returns>
    public IReadOnlyList<string> CheckWebhook(string body, IReadOnlyCollection<string> headerNames)
    {
        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            return [$"the webhook body is not JSON: {e.Message}"];
        }

        var type = (instance?["type"] as JsonValue)?.TryGetValue<string>(out var t) == true ? t : null;
        foreach (var (name, item) in _document["x-webhooks"]?.AsObject() ?? [])
        {
            var post = item?["post"];
            var payload = post?["requestBody"]?["content"]?["application/json"]?["schema"];
            if (payload is null)
            {
                continue;
            }

            // The payload schema for the type: the entry's schema, or the one of its oneOf whose `type` lists it.
            var schemaNode = (Resolve(payload)["oneOf"]?.AsArray().Select(n => n!) ?? [payload])
                .FirstOrDefault(s => Resolve(s)["properties"]?["type"]?["enum"]?.AsArray().Any(v => v?.GetValue<string>() == type) == true);
            if (schemaNode is null)
            {
                continue;
            }

            var where = $"webhook {type} (x-webhooks/{name}, {schemaNode["$ref"]?.GetValue<string>().Split('/')[^1]})";
            var violations = new List<string>();
            foreach (var parameter in (post!["parameters"]?.AsArray() ?? []).Select(p => Resolve(p!)))
            {
                if (parameter["in"]?.GetValue<string>() == "header" && parameter["required"]?.GetValue<bool>() == true
                    && !headerNames.Contains(parameter["name"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase))
                {
                    violations.Add($"{where}: the required header {parameter["name"]} is missing");
                }
            }

            var schema = _schemas.GetOrAdd("x-webhooks " + name + " " + type, _ => Build(schemaNode));
            var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                violations.Add($"{where}: the body does not match its schema:\n    " + string.Join("\n    ", result.Details
                    .Where(d => d.Errors is { Count: > 0 })
                    .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
                    .Distinct()
                    .Take(12)));
            }

            return violations;
        }

        return [$"no x-webhooks entry of the document documents the event type {type ?? "(none)"}"];
    }

    private (string Template, JsonObject Operation)? Find(string method, string path)
    {
        foreach (var candidate in _paths)
        {
            if (candidate.Matches(path)
                && _document["paths"]![candidate.Template]![method.ToLowerInvariant()] is JsonObject operation)
            {
                return (candidate.Template, operation);
            }
        }

        return null;
    }

    private JsonNode Resolve(JsonNode node)
    {
        // "#/components/responses/NotFound" and the like: follow local references.
        while (node is JsonObject o && o["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/", StringComparison.Ordinal))
        {
            var target = (JsonNode)_document;
            foreach (var part in reference[2..].Split('/'))
            {
                target = target[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]
                    ?? throw new InvalidOperationException($"The document's reference {reference} leads nowhere.");
            }

            node = target;
        }

        return node;
    }

    private JsonSchema Build(JsonNode schema)
    {
        var root = ToJsonSchema(Resolve(schema)).AsObject();
        var wrapper = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = _definitions.DeepClone(),
            ["allOf"] = new JsonArray(root),
        };
        return JsonSchema.FromText(wrapper.ToJsonString());
    }

    /// <summary>An OpenAPI 3.0 schema as JSON Schema 2020-12.</summary>
    private static JsonNode ToJsonSchema(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                return new JsonArray([.. array.Select(ToJsonSchema)]);
            case JsonObject schema:
                var copy = new JsonObject();
                foreach (var (key, value) in schema)
                {
                    switch (key)
                    {
                        case "$ref":
                            copy[key] = value!.GetValue<string>().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                            break;
                        case "nullable" or "example" or "examples" or "xml" or "externalDocs" or "discriminator" or "readOnly" or "writeOnly" or "deprecated":
                            break;
                        case "properties" or "patternProperties":
                            var properties = new JsonObject();
                            foreach (var (name, property) in value!.AsObject())
                            {
                                properties[name] = ToJsonSchema(property);
                            }

                            copy[key] = properties;
                            break;
                        case "items" or "additionalProperties" or "not" or "allOf" or "anyOf" or "oneOf":
                            copy[key] = value is JsonValue ? value.DeepClone() : ToJsonSchema(value);
                            break;
                        default:
                            copy[key] = value?.DeepClone();
                            break;
                    }
                }

                if (schema["nullable"]?.GetValue<bool>() != true)
                {
                    return copy;
                }

                if (copy["type"] is JsonValue type && copy["$ref"] is null && copy["allOf"] is null && copy["anyOf"] is null && copy["oneOf"] is null)
                {
                    copy["type"] = new JsonArray(type.GetValue<string>(), "null");
                    if (copy["enum"] is JsonArray values && !values.Any(v => v is null))
                    {
                        values.Add(null);
                    }

                    return copy;
                }

                // "This schema, or null": an allOf/$ref cannot take null itself.
                return new JsonObject { ["anyOf"] = new JsonArray(copy, new JsonObject { ["type"] = "null" }) };
            default:
                return node?.DeepClone() ?? new JsonObject();
        }
    }

    private static bool MediaMatches(string documented, string? sent)
    {
        if (sent is null)
        {
            return false;
        }

        if (documented is "*/*" || documented.Equals(sent, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return documented.EndsWith("/*", StringComparison.Ordinal)
            && sent.StartsWith(documented[..^1], StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private sealed class PathTemplate
    {
        private readonly Regex _pattern;

        public PathTemplate(string template)
        {
            Template = template;
            var segments = template.Trim('/').Split('/');
            LiteralSegments = segments.Count(s => !s.StartsWith('{'));
            var pattern = string.Join("/", segments.Select(s => s.StartsWith('{') ? "[^/]+" : Regex.Escape(s)));
            _pattern = new Regex("^/" + pattern + "/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }

        public string Template { get; }

        public int LiteralSegments { get; }

        public bool Matches(string path) => _pattern.IsMatch(path);
    }
}
