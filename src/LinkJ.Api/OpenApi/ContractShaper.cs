using System.Globalization;
using System.Text.Json.Nodes;

namespace LinkJ.Api.OpenApi;

/// <summary>
/// The last step of the OpenAPI document, on its JSON: what Swashbuckle cannot say in OpenAPI 3.0 (a nullable
/// <c>$ref</c>, one problem schema), the bounds every string, integer and array needs (the linters' OWASP rules), the
/// headers the service sends everywhere (CORS), the two ways to send an API key, and the shared parts — headers,
/// parameters, problem responses and examples — moved to <c>components</c> and <c>$ref</c>-ed, so the document says
/// each thing once.
/// </summary>
/// <remarks>Every bound written here is checked: the integration tests hold every response against the document.</remarks>
internal static partial class ContractShaper
{
    /// <summary>The mark <see cref="NullableReferenceSchemaFilter"/> leaves on a property whose $ref can be null.</summary>
    public const string NullableMark = "x-linkj-nullable";

    public const string ProblemSchema = "Problem";

    /// <summary>The longest <c>instance</c> a problem gives (Program.cs cuts the request path to it).</summary>
    public const int MaxInstanceLength = 2048;

    /// <summary>Bounds for strings the domain does not bound itself: by format, else a generous text limit.</summary>
    private static int StringLimit(string? format) => format switch
    {
        "uuid" => 36,
        "date" => 10,
        "date-time" => 40,
        "uri" => 2048,
        _ => 4000,
    };

    private const int ArrayLimit = 1000;

    public static void Shape(JsonObject document)
    {
        MarkNullable(document);
        CollapseAlwaysNullable(document);
        UseOneProblemSchema(document);
        RequireWhatIsAlwaysSent(document);
        var components = document["components"]!.AsObject();
        foreach (var schema in AllSchemas(document))
        {
            Bound(schema);
        }

        foreach (var parameter in Operations(document).SelectMany(o => o.Operation["parameters"]?.AsArray() ?? []).OfType<JsonObject>())
        {
            if (parameter["schema"]?["type"]?.GetValue<string>() == "integer" && parameter["example"] is JsonValue example
                && example.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                parameter["example"] = number;
            }
        }

        document["servers"] = new JsonArray(new JsonObject
        {
            ["url"] = "/",
            ["description"] = "The host that serves this document (scripts/run.sh: http://localhost:5080).",
            ["x-internal"] = false,
        });
        document["tags"] = new JsonArray(
            Tag("Agreements", "Partnership agreements (MOUs)."),
            Tag("Partners", "The organisations LINK-J has partnered with."),
            Tag("Cooperation scopes", "The vocabulary of cooperation items (提携内容)."),
            Tag("Statistics", "Numbers for partner websites."),
            Tag("Changes", "The change feed for internal systems."),
            Tag("Webhooks", "Subscriptions (`webhooks:manage`); their events are in `x-webhooks`."));

        DocumentApiKeyInAuthorization(components, document);
        DocumentCors(document);
        DocumentNegotiationHeaders(document);
        Share(document, components);
        DescribeWebhooks(document);
    }

    private static JsonObject Tag(string name, string description) => new() { ["name"] = name, ["description"] = description };

    private static void MarkNullable(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj[NullableMark] is JsonValue type)
                {
                    // OpenAPI 3.0 wants a type beside nullable: the referenced schema's own (object, or string for an enum).
                    obj.Remove(NullableMark);
                    obj["type"] = type.GetValue<string>();
                    obj["nullable"] = true;
                }

                foreach (var (_, value) in obj.ToList())
                {
                    MarkNullable(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    MarkNullable(item);
                }

                break;
        }
    }

    /// <summary>
    /// A schema that every property using it wraps as "it or null" (ExternalReference) is itself nullable: a plain
    /// $ref then says the same, and the linters' example checks (which do not read nullable beside allOf) accept null.
    /// </summary>
    private static void CollapseAlwaysNullable(JsonObject document)
    {
        var wrappers = new List<(JsonObject Wrapper, string Reference)>();
        var plain = new HashSet<string>(StringComparer.Ordinal);
        Walk(document, null);
        foreach (var group in wrappers.GroupBy(w => w.Reference).Where(g => !plain.Contains(g.Key)))
        {
            var target = document["components"]!["schemas"]![group.Key.Split('/')[^1]]!.AsObject();
            target["nullable"] = true;
            foreach (var (wrapper, reference) in group)
            {
                var description = wrapper["description"]?.DeepClone();
                wrapper.Clear();
                wrapper["$ref"] = reference;
                if (description is not null)
                {
                    wrapper["description"] = description;
                }
            }
        }

        void Walk(JsonNode? node, JsonObject? wrapper)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                    {
                        if (wrapper is null)
                        {
                            plain.Add(reference);
                        }
                        else
                        {
                            wrappers.Add((wrapper, reference));
                        }
                    }

                    var isWrapper = obj["nullable"]?.GetValue<bool>() == true && obj["allOf"] is JsonArray { Count: 1 };
                    foreach (var (key, value) in obj)
                    {
                        Walk(value, isWrapper && key == "allOf" ? obj : null);
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Walk(item, wrapper);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// The service writes every member of what it answers, null included: in a schema only responses use, every
    /// property is required (a client may rely on its presence; null is said by nullable). Schemas that request bodies
    /// use as well keep their own required list, since a client may leave such members out.
    /// </summary>
    private static void RequireWhatIsAlwaysSent(JsonObject document)
    {
        var schemas = document["components"]!["schemas"]!.AsObject();
        var inputs = new HashSet<string>(StringComparer.Ordinal);
        var outputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, operation) in Operations(document))
        {
            Reach(operation["requestBody"], inputs);
            Reach(operation["responses"], outputs);
        }

        foreach (var name in outputs.Except(inputs).Where(n => n != ProblemSchema))
        {
            if (schemas[name] is JsonObject schema && schema["properties"] is JsonObject properties)
            {
                schema["required"] = new JsonArray([.. properties.Select(p => (JsonNode)JsonValue.Create(p.Key)!)]);
            }
        }

        void Reach(JsonNode? node, HashSet<string> seen)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/components/schemas/", StringComparison.Ordinal)
                        && seen.Add(reference.Split('/')[^1]))
                    {
                        Reach(schemas[reference.Split('/')[^1]], seen);
                    }

                    foreach (var (key, value) in obj)
                    {
                        if (key is not ("example" or "examples"))
                        {
                            Reach(value, seen);
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Reach(item, seen);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Every problem the service writes has the same shape (Errors/Problems.cs): RFC 9457's members, a stable code and the
    /// trace id always; errors by field only for validation. One schema instead of ASP.NET's two, which promised
    /// <c>errors</c> on every 400 (a malformed body or an unknown ?lang= has none).
    /// </summary>
    private static void UseOneProblemSchema(JsonObject document)
    {
        var schemas = document["components"]!["schemas"]!.AsObject();
        schemas.Remove("ProblemDetails");
        schemas.Remove("HttpValidationProblemDetails");
        schemas[ProblemSchema] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "An RFC 9457 problem: what went wrong, with a stable code to act on and the trace id to quote.",
            ["required"] = new JsonArray("type", "title", "status", "code", "traceId"),
            ["properties"] = new JsonObject
            {
                ["type"] = Text("urn:linkj:problem:<code>: identifies the kind of problem.", 200),
                ["title"] = Text("A short summary of the kind of problem.", 200),
                ["status"] = new JsonObject { ["type"] = "integer", ["format"] = "int32", ["minimum"] = 100, ["maximum"] = 599, ["description"] = "The HTTP status." },
                ["detail"] = Text("What happened in this occurrence.", 2000),
                ["instance"] = Text("The request path (its first 2048 characters).", MaxInstanceLength),
                ["code"] = Text("A stable code to branch on (validation.failed, partner.not-found, version.stale, …).", 100),
                ["traceId"] = Text("The W3C trace id of the request: quote it when reporting a problem.", 100),
                ["errors"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "For validation problems: the messages for each field (or parameter) at fault.",
                    ["maxProperties"] = 100,
                    ["additionalProperties"] = new JsonObject
                    {
                        ["type"] = "array",
                        ["maxItems"] = 20,
                        ["items"] = Text(null, 1000),
                    },
                },
                ["retryAfterSeconds"] = new JsonObject { ["type"] = "integer", ["format"] = "int32", ["minimum"] = 0, ["maximum"] = 86400, ["description"] = "When given: seconds to wait before retrying." },
                ["currentVersion"] = new JsonObject { ["type"] = "integer", ["format"] = "int32", ["minimum"] = 1, ["maximum"] = int.MaxValue, ["description"] = "On a stale If-Match (412): the resource's current version." },
            },
        };
        Replace(document, "#/components/schemas/ProblemDetails", "#/components/schemas/" + ProblemSchema);
        Replace(document, "#/components/schemas/HttpValidationProblemDetails", "#/components/schemas/" + ProblemSchema);
    }

    private static JsonObject Text(string? description, int maxLength)
    {
        var schema = new JsonObject { ["type"] = "string", ["maxLength"] = maxLength };
        if (description is not null)
        {
            schema["description"] = description;
        }

        return schema;
    }

    private static void Replace(JsonNode? node, string from, string to)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && reference.GetValue<string>() == from)
                {
                    obj["$ref"] = to;
                }

                foreach (var (_, value) in obj.ToList())
                {
                    Replace(value, from, to);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Replace(item, from, to);
                }

                break;
        }
    }

    /// <summary>Every schema object of the document (components, parameters, bodies, headers), nested ones included.</summary>
    private static IEnumerable<JsonObject> AllSchemas(JsonObject document)
    {
        var roots = new List<JsonNode?>();
        roots.AddRange(document["components"]!["schemas"]!.AsObject().Select(s => s.Value));
        foreach (var (_, operation) in Operations(document))
        {
            roots.AddRange((operation["parameters"]?.AsArray() ?? []).Select(p => p?["schema"]));
            roots.AddRange((operation["requestBody"]?["content"]?.AsObject() ?? []).Select(c => c.Value?["schema"]));
            foreach (var (_, response) in operation["responses"]?.AsObject() ?? [])
            {
                roots.AddRange((response?["content"]?.AsObject() ?? []).Select(c => c.Value?["schema"]));
                roots.AddRange((response?["headers"]?.AsObject() ?? []).Select(h => h.Value?["schema"]));
            }
        }

        var stack = new Stack<JsonObject>(roots.OfType<JsonObject>());
        while (stack.TryPop(out var schema))
        {
            yield return schema;
            foreach (var (_, property) in schema["properties"]?.AsObject() ?? [])
            {
                if (property is JsonObject p)
                {
                    stack.Push(p);
                }
            }

            foreach (var key in new[] { "items", "additionalProperties" })
            {
                if (schema[key] is JsonObject nested)
                {
                    stack.Push(nested);
                }
            }

            foreach (var key in new[] { "allOf", "anyOf", "oneOf" })
            {
                foreach (var nested in schema[key]?.AsArray().OfType<JsonObject>() ?? [])
                {
                    stack.Push(nested);
                }
            }
        }
    }

    private static void Bound(JsonObject schema)
    {
        switch (schema["type"]?.GetValue<string>())
        {
            case "string" when schema["maxLength"] is null && schema["enum"] is null && schema["const"] is null:
                schema["maxLength"] = StringLimit(schema["format"]?.GetValue<string>());
                break;
            case "integer":
                var wide = schema["format"]?.GetValue<string>() == "int64";
                schema["minimum"] ??= 0;
                schema["maximum"] ??= wide ? long.MaxValue : int.MaxValue;
                break;
            case "array" when schema["maxItems"] is null:
                schema["maxItems"] = ArrayLimit;
                break;
        }
    }

    private static IEnumerable<(string Path, JsonObject Operation)> Operations(JsonObject document)
    {
        foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
        {
            foreach (var (_, operation) in item?.AsObject() ?? [])
            {
                if (operation is JsonObject o)
                {
                    yield return (path, o);
                }
            }
        }
    }

    /// <summary>
    /// Keys go in X-Api-Key or in Authorization with the ApiKey scheme; both are declared, and every write accepts either.
    /// </summary>
    private static void DocumentApiKeyInAuthorization(JsonObject components, JsonObject document)
    {
        var schemes = components["securitySchemes"]!.AsObject();
        var headerScheme = schemes.First().Key;
        schemes["ApiKeyAuthorization"] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = "Authorization",
            ["description"] = "The same key as `Authorization: ApiKey <key>` (in Swagger UI's Authorize dialog, type `ApiKey ` before the key).",
        };
        // Said once, at the top: every operation that needs a key takes it either way. Public operations keep their
        // `security: []`, which overrides it.
        var either = new JsonArray(
            new JsonObject { [headerScheme] = new JsonArray() },
            new JsonObject { ["ApiKeyAuthorization"] = new JsonArray() });
        foreach (var (_, operation) in Operations(document))
        {
            if (operation["security"] is JsonArray { Count: > 0 } security
                && security.OfType<JsonObject>().Any(r => r.ContainsKey(headerScheme)))
            {
                operation.Remove("security");
            }
        }

        document["security"] = either;
    }

    /// <summary>Public reads answer any origin; writes the configured ones (Http/CorsSetup.cs): said on every API response.</summary>
    private static void DocumentCors(JsonObject document)
    {
        foreach (var (path, operation) in Operations(document))
        {
            if (!path.StartsWith("/api/", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (_, response) in operation["responses"]?.AsObject() ?? [])
            {
                if (response is not JsonObject r)
                {
                    continue;
                }

                var headers = r["headers"] as JsonObject ?? [];
                r["headers"] = headers;
                headers["Access-Control-Allow-Origin"] = new JsonObject
                {
                    ["description"] = "Sent to browsers (requests with Origin): `*` on public reads; the origin itself on writes from a configured origin.",
                    ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 2048 },
                    ["example"] = "*",
                };
            }
        }
    }

    /// <summary>
    /// What every API response may carry besides (Http/LanguageNegotiation.cs, PublicReadCache, the exception handler):
    /// <c>Vary: Accept-Language</c> on every response that reached the language negotiation (always on a 2xx or 3xx; a
    /// problem raised before it, a rate limit or an unknown parameter, has none), <c>Content-Language</c> on every 2xx
    /// and 3xx, and on problems the exception handler's <c>Cache-Control: no-cache,no-store</c> (webhook subscriptions:
    /// <c>no-store</c> on everything). The response validation holds the tests' responses to this (ADR 0040).
    /// </summary>
    private static void DocumentNegotiationHeaders(JsonObject document)
    {
        static JsonObject Vary(bool required) => new()
        {
            ["description"] = "`Accept-Language` on every API response; reads add `Accept`, a document's bytes `Authorization, X-Api-Key`.",
            ["required"] = required,
            ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 500 },
            ["example"] = "Accept-Language, Accept",
        };

        var contentLanguage = new JsonObject
        {
            ["description"] = "The language of the texts (`localized`): `lang`, else Accept-Language, else ja.",
            ["required"] = true,
            ["schema"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("ja", "en") },
            ["example"] = "ja",
        };
        var noStore = new JsonObject
        {
            ["description"] = "`no-cache,no-store` on a problem; `no-store` on everything of the webhook subscriptions.",
            ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 100 },
            ["example"] = "no-store",
        };
        foreach (var (path, operation) in Operations(document))
        {
            if (!path.StartsWith("/api/", StringComparison.Ordinal))
            {
                continue;
            }

            var webhooks = path.StartsWith("/api/v1/webhooks", StringComparison.Ordinal);
            foreach (var (status, response) in operation["responses"]?.AsObject() ?? [])
            {
                if (response is not JsonObject r)
                {
                    continue;
                }

                var headers = r["headers"] as JsonObject ?? [];
                r["headers"] = headers;
                var problem = status[0] is '4' or '5';
                headers["Vary"] = Vary(required: !problem);
                if (!problem)
                {
                    headers["Content-Language"] = contentLanguage.DeepClone();
                }

                if ((problem || webhooks) && !headers.ContainsKey("Cache-Control"))
                {
                    headers["Cache-Control"] = noStore.DeepClone();
                }
            }
        }
    }

    /// <summary>Moves what several operations repeat to components and refers to it.</summary>
    private static void Share(JsonObject document, JsonObject components)
    {
        var headers = new Registry(components, "headers");
        var parameters = new Registry(components, "parameters");
        var responses = new Registry(components, "responses");
        var examples = new Registry(components, "examples");

        // Examples (of a success response or of a request body) that appear more than once move; a one-off stays inline.
        var exampleUses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, media) in ExampledMedia(document))
        {
            var key = media["example"]!.ToJsonString();
            exampleUses[key] = exampleUses.GetValueOrDefault(key) + 1;
        }

        foreach (var (path, media) in ExampledMedia(document).ToList())
        {
            if (exampleUses.GetValueOrDefault(media["example"]!.ToJsonString()) > 1)
            {
                var name = ExampleName(path, media);
                var example = media["example"]!;
                media.Remove("example");
                media["examples"] = new JsonObject { [name] = examples.Ref(name, new JsonObject { ["value"] = example }) };
            }
        }

        foreach (var (path, operation) in Operations(document))
        {
            if (operation["parameters"] is JsonArray list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is JsonObject parameter && parameter["$ref"] is null)
                    {
                        // A parameter that takes one of a schema's values (kind, partnerKind, status) refers to that schema.
                        if (parameter["schema"] is JsonObject { } own && own["enum"] is JsonArray values
                            && components["schemas"]!.AsObject().FirstOrDefault(s => s.Value?["enum"] is JsonArray e && JsonNode.DeepEquals(e, values)).Key is { } same)
                        {
                            parameter["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/" + same };
                        }

                        var name = parameter["in"]?.GetValue<string>() == "header"
                            ? HeaderParameterName(parameter)
                            : parameter["name"]!.GetValue<string>();
                        if (path.StartsWith("/api/v1/webhooks", StringComparison.Ordinal))
                        {
                            name = name switch { "id" => "subscriptionId", "limit" => "deliveryLimit", _ => name };
                        }

                        list[i] = parameters.Ref(name, parameter);
                    }
                }
            }

            foreach (var (status, response) in operation["responses"]?.AsObject().ToList() ?? [])
            {
                if (response is not JsonObject r)
                {
                    continue;
                }

                if (r["headers"] is JsonObject responseHeaders)
                {
                    foreach (var (name, header) in responseHeaders.ToList())
                    {
                        if (header is JsonObject h && h["$ref"] is null)
                        {
                            responseHeaders[name] = headers.Ref(name, h);
                        }
                    }
                }

                if (!status.StartsWith('2'))
                {
                    operation["responses"]![status] = responses.Ref(ResponseName(path, status, r), r);
                }
            }
        }

        HoistCommonParameters(document);

        // A success response several operations give alike (the agreement a PUT, PATCH, activate or terminate answers;
        // a 204) is shared too, once its example is a $ref: the document has a size budget (ADR 0040).
        var successUses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, operation) in Operations(document))
        {
            foreach (var (status, response) in operation["responses"]?.AsObject() ?? [])
            {
                if (status.StartsWith('2') && response is JsonObject r && r["$ref"] is null)
                {
                    var key = r.ToJsonString();
                    successUses[key] = successUses.GetValueOrDefault(key) + 1;
                }
            }
        }

        foreach (var (_, operation) in Operations(document))
        {
            foreach (var (status, response) in operation["responses"]?.AsObject().ToList() ?? [])
            {
                if (status.StartsWith('2') && response is JsonObject r && r["$ref"] is null
                    && successUses.GetValueOrDefault(r.ToJsonString()) > 1)
                {
                    operation["responses"]![status] = responses.Ref(SuccessName(status, r), r);
                }
            }
        }
    }

    /// <summary>
    /// A query or header parameter every operation of a path takes (lang, Accept-Language) is said once, on the path item.
    /// Path parameters stay on each operation, first, so that Swagger UI shows If-Match's field right after the id.
    /// </summary>
    private static void HoistCommonParameters(JsonObject document)
    {
        foreach (var (_, item) in document["paths"]?.AsObject() ?? [])
        {
            var operations = item!.AsObject().Select(o => o.Value).OfType<JsonObject>().ToList();
            if (operations.Count < 2)
            {
                continue;
            }

            var common = (operations[0]["parameters"]?.AsArray() ?? [])
                .Select(p => p?["$ref"]?.GetValue<string>())
                .OfType<string>()
                .Where(r => !r.EndsWith("/id", StringComparison.Ordinal) && !r.EndsWith("/idOrSlug", StringComparison.Ordinal)
                            && document["components"]!["parameters"]![r.Split('/')[^1]]?["in"]?.GetValue<string>() != "path")
                .Where(r => operations.All(o => o["parameters"]?.AsArray().Any(p => p?["$ref"]?.GetValue<string>() == r) == true))
                .ToList();
            if (common.Count == 0)
            {
                continue;
            }

            foreach (var operation in operations)
            {
                var list = operation["parameters"]!.AsArray();
                foreach (var parameter in list.Where(p => common.Contains(p?["$ref"]?.GetValue<string>() ?? string.Empty)).ToList())
                {
                    list.Remove(parameter);
                }

                if (list.Count == 0)
                {
                    operation.Remove("parameters");
                }
            }

            item.AsObject().Insert(0, "parameters", new JsonArray([.. common.Select(r => (JsonNode)new JsonObject { ["$ref"] = r })]));
        }
    }

    /// <summary>A 200 with the Agreement schema → AgreementOk (an array of HistoryEntry → HistoryEntryOk); 201 →
    /// AgreementCreated; a 204 → NoContent.</summary>
    private static string SuccessName(string status, JsonObject response)
    {
        var schema = response["content"]?.AsObject()
            .Select(m => (m.Value?["schema"]?["$ref"] ?? m.Value?["schema"]?["items"]?["$ref"])?.GetValue<string>())
            .FirstOrDefault(n => n is not null);
        var reason = status switch
        {
            "200" => "Ok",
            "201" => "Created",
            "202" => "Accepted",
            "204" => "NoContent",
            _ => "Status" + status,
        };
        return schema is null ? reason : schema.Split('/')[^1] + reason;
    }

    /// <summary>"If-Match" → IfMatch; where it is optional (the upserts by reference) IfMatchOptional.</summary>
    private static string HeaderParameterName(JsonObject parameter)
    {
        var name = parameter["name"]!.GetValue<string>().Replace("-", string.Empty, StringComparison.Ordinal);
        return name == "IfMatch" && parameter["required"]?.GetValue<bool>() != true ? "IfMatchOptional" : name;
    }

    /// <summary>The media types of success responses and request bodies that carry an <c>example</c>, with their path.</summary>
    private static IEnumerable<(string Path, JsonObject Media)> ExampledMedia(JsonObject document) =>
        Operations(document)
            .SelectMany(o => (o.Operation["responses"]?.AsObject() ?? []).Where(r => r.Key.StartsWith('2')).Select(r => r.Value)
                .Append(o.Operation["requestBody"])
                .SelectMany(r => r?["content"]?.AsObject() ?? [])
                .Select(m => (o.Path, Media: m.Value as JsonObject)))
            .Where(m => m.Media?["example"] is not null)
            .Select(m => (m.Path, m.Media!));

    /// <summary>By the schema: Agreement; an array of HistoryEntry → HistoryEntryList; a CSV text on /api/v1/partners… → PartnersCsv.</summary>
    private static string ExampleName(string path, JsonObject media)
    {
        var schema = media["schema"];
        if ((schema?["$ref"] ?? schema?["items"]?["$ref"])?.GetValue<string>().Split('/')[^1] is { } name)
        {
            return schema!["items"] is null ? name : name + "List";
        }

        var resource = path.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2) ?? "Example";
        var kind = media.Parent?.AsObject().FirstOrDefault(m => ReferenceEquals(m.Value, media)).Key switch
        {
            "text/csv" => "Csv",
            { } other when other.Contains("ndjson", StringComparison.Ordinal) => "JsonLines",
            _ => "Example",
        };
        return char.ToUpperInvariant(resource[0]) + resource[1..] + kind;
    }

    /// <summary>
    /// A problem every operation can give is named by its status ("429"); one
    /// that depends on the resource by the code its example shows ("partner.not-found" → "PartnerNotFound").
    /// </summary>
    private static string ResponseName(string path, string status, JsonObject response)
    {
        var code = response["content"]?["application/problem+json"]?["example"]?["code"]?.GetValue<string>();
        if (code is null || status is "400" or "500" or "429" or "503" or "401" or "403" or "413" or "415" or "428")
        {
            return status;
        }

        return string.Concat(code.Split('.', '-').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    /// <summary>
    /// One section of components: the first object given a name takes it; an identical object later gets the same
    /// $ref; a different one under the same name gets the name with a number.
    /// </summary>
    private sealed class Registry(JsonObject components, string section)
    {
        private readonly Dictionary<string, string> _byContent = new(StringComparer.Ordinal);

        public JsonObject Ref(string name, JsonObject value)
        {
            var content = value.ToJsonString();
            if (!_byContent.TryGetValue(content, out var key))
            {
                var target = components[section] as JsonObject ?? [];
                components[section] = target;
                key = name;
                for (var n = 2; target.ContainsKey(key); n++)
                {
                    key = name + n.ToString(CultureInfo.InvariantCulture);
                }

                target[key] = value.Parent is null ? value : value.DeepClone();
                _byContent[content] = key;
            }

            return new JsonObject { ["$ref"] = $"#/components/{section}/{key}" };
        }
    }
}
