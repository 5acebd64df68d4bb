using System.Text;
using System.Text.Json.Nodes;

namespace LinkJ.Api.IntegrationTests.Fuzz;

/// <summary>Which API key a case is sent with.</summary>
public enum FuzzKey
{
    /// <summary>A key with every scope (admin), so the request reaches validation.</summary>
    Valid,

    /// <summary>No key, or only what the case's own headers present.</summary>
    None,

    /// <summary>A valid key without the scope the operation needs.</summary>
    WrongScope,
}

/// <summary>
/// The class of answer a case must get: the oracle of the fuzz. Every case but <see cref="Valid"/> and
/// <see cref="NotModified"/> is a request the service must refuse, with exactly this status.
/// </summary>
public enum FuzzExpect
{
    /// <summary>The request is in fact valid (odd text, an ignored header): the same status as the operation's valid request.</summary>
    Valid = 0,

    /// <summary>Valid or 400, nothing else: neither the document nor the contract says (see <see cref="FuzzOracle"/>).</summary>
    Either = 1,

    /// <summary>304: a conditional read whose If-None-Match matches (*).</summary>
    NotModified = 304,

    /// <summary>400: invalid input (a value, a header, the body).</summary>
    Invalid = 400,

    /// <summary>401: no key, or a malformed or unknown one.</summary>
    Unauthenticated = 401,

    /// <summary>403: a valid key without the operation's scope.</summary>
    Forbidden = 403,

    /// <summary>404: an id or slug that names nothing.</summary>
    NotFound = 404,

    /// <summary>412: If-Match names a version that is not the current one.</summary>
    Stale = 412,

    /// <summary>413: a body over the limit.</summary>
    TooLarge = 413,

    /// <summary>415: a body in a media type the operation does not take.</summary>
    UnsupportedMediaType = 415,

    /// <summary>428: a write to an existing resource without If-Match.</summary>
    PreconditionRequired = 428,
}

/// <summary>One generated request, and the class of answer it must get.</summary>
public sealed record FuzzCase(
    FuzzOperation Operation,
    string What,
    string Url,
    byte[]? Body,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers,
    FuzzKey Key,
    FuzzExpect Expect);

/// <summary>
/// Generates bad requests for an operation from its OpenAPI description: every parameter and every body member (found
/// by walking the schema) gets wrong types, out-of-range and malformed values, and the body as a whole is sent broken,
/// too big, too deep, with duplicate or unknown keys, as invalid UTF-8 and with the wrong media type.
/// </summary>
public static class FuzzCases
{
    /// <summary>Replaced, after serialization, by JSON escapes of unpaired UTF-16 surrogates (a JSON writer refuses to write them).</summary>
    private const string LoneHighSurrogate = "@@lone-high-surrogate@@";
    private const string LoneLowSurrogate = "@@lone-low-surrogate@@";

    public const string SqlInjection = "' OR '1'='1'; DROP TABLE agreements; --";
    public const string HtmlInjection = "<script>alert(1)</script><img src=x onerror=alert(1)>";
    public static readonly string Overlong = new('あ', 10_001);

    /// <summary>Values for a string-typed field: every one of them is wrong for most fields, some are just odd text.</summary>
    private static readonly (string What, string Value)[] BadStrings =
    [
        ("empty", ""),
        ("whitespace only", "   \t "),
        ("10k characters", Overlong),
        ("control characters", "a\u0000b\u0007c\u001b"),
        ("an unpaired high surrogate", LoneHighSurrogate),
        ("an unpaired low surrogate", "x" + LoneLowSurrogate),
        ("SQL injection", SqlInjection),
        ("HTML injection", HtmlInjection),
        ("an impossible date", "2020-02-30"),
        ("an impossible month", "9999-99"),
        ("an unknown enum value", "no-such-value"),
    ];

    /// <summary>Raw query or path values: percent-encoded already where the point is the encoding itself.</summary>
    private static readonly (string What, string Encoded)[] BadUrlValues =
    [
        ("a word", "abc"),
        ("negative", "-1"),
        ("zero", "0"),
        ("huge", "99999999999999999999"),
        ("a fraction", "1.5"),
        ("an impossible date", "2020-02-30"),
        ("an impossible month", "9999-99"),
        ("empty", ""),
        ("whitespace only", "%20%20%20"),
        ("10k characters", Uri.EscapeDataString(Overlong)),
        ("a NUL byte", "%00"),
        ("control characters", "a%01%1Bb"),
        ("SQL injection", Uri.EscapeDataString(SqlInjection)),
        ("HTML injection", Uri.EscapeDataString(HtmlInjection)),
        ("an unknown enum value", "no-such-value"),
        ("invalid UTF-8", "%FF%FE%C3%28"),
        ("an encoded surrogate", "%ED%A0%80"),
        ("a broken escape", "%E3%81"),
        ("a path traversal", "..%2F..%2Fetc%2Fpasswd"),
    ];

    public static IEnumerable<FuzzCase> For(FuzzOperation operation, FuzzTarget target)
    {
        var url = target.UrlOf(operation);
        var body = target.BodyOf(operation);
        var cases = new List<FuzzCase>();
        // An import's valid body is the document's example for its first media type, sent as it is with that Content-Type.
        var file = operation.FileExample is { } example ? System.Text.Encoding.UTF8.GetBytes(example) : null;

        FuzzCase Case(string what, FuzzExpect expect, string? caseUrl = null, byte[]? caseBody = null, string? contentType = null, Dictionary<string, string>? headers = null, FuzzKey key = FuzzKey.Valid, bool noBody = false) =>
            new(operation, what, caseUrl ?? url,
                noBody ? null : caseBody ?? (body is null ? file : Encode(body)),
                noBody ? null : contentType ?? (body is null ? (file is null ? null : operation.FileMediaType) : operation.BodyMediaType),
                headers ?? [], key, expect);

        // The request as it should be: what every case differs from in one place, and the status a Valid case must get.
        cases.Add(Case(ControlWhat, FuzzExpect.Valid));

        // Path parameters that are not ids, slugs or references.
        foreach (var parameter in operation.Parameters.Where(p => p.In == "path"))
        {
            // An encoded NUL cannot be in a path: servers refuse it before the application sees it (and so does the test host).
            foreach (var (what, value) in BadUrlValues.Where(v => v.Encoded.Length > 0 && !v.Encoded.Contains("%00", StringComparison.Ordinal)))
            {
                cases.Add(Case($"path {parameter.Name} {what}", PathExpect(parameter, value), target.UrlOf(operation, (parameter.Name, value))));
            }

            cases.Add(Case($"path {parameter.Name} an unknown id", PathExpect(parameter, Guid.Empty.ToString()), target.UrlOf(operation, (parameter.Name, Guid.Empty.ToString()))));
        }

        // Query parameters: wrong types, out of range, malformed, given twice.
        foreach (var parameter in operation.Parameters.Where(p => p.In == "query"))
        {
            foreach (var (what, value) in BadUrlValues)
            {
                cases.Add(Case($"query {parameter.Name} {what}", FuzzOracle.QueryValue(parameter, value), WithQuery(url, parameter.Name, value)));
            }

            cases.Add(Case($"query {parameter.Name} given twice", FuzzOracle.QueryGivenTwice(parameter), WithQuery(WithQuery(url, parameter.Name, "1"), parameter.Name, "2")));
        }

        // A cursor the service did not issue: refused where the operation pages, and refused as an unknown query parameter
        // elsewhere (a parameter an operation does not take is never ignored: it could spell a cache key).
        cases.Add(Case("query cursor forged", FuzzExpect.Invalid,
            WithQuery(url, "cursor", "eyJraW5kIjoiYWdyZWVtZW50cyIsImtleXMiOlsiMScsIjEiXX0")));

        // Headers.
        if (operation.DocumentedStatuses.Contains(428))
        {
            // By external reference the fuzz's reference names no record yet: without If-Match the PUT creates one; with
            // one it names a version of a record that does not exist, which is stale too (RFC 9110 13.1.1).
            var creates = target.ETagOf(operation) is null;
            cases.Add(Case("If-Match missing", creates ? FuzzExpect.Valid : FuzzExpect.PreconditionRequired, headers: new() { ["If-Match"] = "" }));
            cases.Add(Case("If-Match stale", FuzzExpect.Stale, headers: new() { ["If-Match"] = "\"v2\"" }));
            // RFC 9110 13.1.1: * matches any current version, and a list matches when one of its tags does (the target is
            // at version 1); where no record exists yet, neither can match.
            cases.Add(Case("If-Match *", creates ? FuzzExpect.Stale : FuzzExpect.Valid, headers: new() { ["If-Match"] = "*" }));
            cases.Add(Case("If-Match list with the current tag", creates ? FuzzExpect.Stale : FuzzExpect.Valid, headers: new() { ["If-Match"] = "\"v1\", \"v2\"" }));
            cases.Add(Case("If-Match weak tag", FuzzExpect.Stale, headers: new() { ["If-Match"] = "W/\"v1\"" }));
            foreach (var bad in new[] { "garbage", "\"\"", "\"v\"", "\"v0\"", "\"v-1\"", "\"v99999999999999999999\"", "\"v1x\"", "\"v１\"", "\"" + Overlong + "\"" })
            {
                cases.Add(Case($"If-Match {Shorten(bad)}", FuzzExpect.Invalid, headers: new() { ["If-Match"] = bad }));
            }
        }

        if (operation.Method == "GET")
        {
            foreach (var bad in new[] { "garbage", "\"\"", "W/\"x\"", "\"a\", \"b\"", "\"" + Overlong + "\"", "\"v1.\"", "*", "garbage, *" })
            {
                // A malformed If-None-Match matches nothing (the read is answered in full); * matches whatever is there.
                cases.Add(Case($"If-None-Match {Shorten(bad)}", bad.Contains('*', StringComparison.Ordinal) ? FuzzExpect.NotModified : FuzzExpect.Valid,
                    headers: new() { ["If-None-Match"] = bad }));
            }
        }

        if (operation.Parameters.Any(p => p.Name == "Idempotency-Key"))
        {
            foreach (var bad in new[] { new string('k', 256), "has space", "ключ", "a\u007fb", Overlong })
            {
                cases.Add(Case($"Idempotency-Key {Shorten(bad)}", FuzzExpect.Invalid, headers: new() { ["Idempotency-Key"] = bad }));
            }

            // The key's request hash reads the body before validation does (a JSON body; an import's file is not fuzzed).
            if (body is not null)
            {
                var firstText = body.First(m => m.Value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String).Key;
                cases.Add(Case("Idempotency-Key with an unpaired surrogate in the body", FuzzExpect.Invalid, caseBody: Encode(With(body, firstText, LoneHighSurrogate)),
                    headers: new() { ["Idempotency-Key"] = "fuzz-" + Guid.NewGuid().ToString("N") }));
            }
        }

        foreach (var bad in new[] { "xx;q=abc", "*;q=2", "en;q=-1", ",,,,", Overlong, "\u00e9\u00e8" })
        {
            // Unusable preferences fall back to the default language and JSON: the request is still served.
            cases.Add(Case($"Accept-Language {Shorten(bad)}", FuzzExpect.Valid, headers: new() { ["Accept-Language"] = bad }));
        }

        foreach (var bad in new[] { "application/xml", "garbage", "*/*;q=abc", "text/csv;q=2" })
        {
            cases.Add(Case($"Accept {bad}", FuzzExpect.Valid, headers: new() { ["Accept"] = bad }));
        }

        // Authentication: no key, malformed keys, unknown keys, a key without the scope.
        if (operation.NeedsKey)
        {
            cases.Add(Case("no API key", FuzzExpect.Unauthenticated, key: FuzzKey.None));
            cases.Add(Case("a key without the scope", FuzzExpect.Forbidden, key: FuzzKey.WrongScope));
            foreach (var (header, value) in new[]
                     {
                         ("Authorization", "ApiKey"), ("Authorization", "ApiKey lj_00000000_" + new string('0', 64)), ("Authorization", "Bearer abc"),
                         ("Authorization", "ApiKey " + SqlInjection), ("Authorization", "ApiKey " + new string('a', 10_000)), ("X-Api-Key", "lj_zz"),
                         ("X-Api-Key", HtmlInjection),
                     })
            {
                cases.Add(Case($"{header} {Shorten(value)}", FuzzExpect.Unauthenticated, headers: new() { [header] = value }, key: FuzzKey.None));
            }
        }

        if (operation.BodySchema is not null && body is not null)
        {
            cases.AddRange(BodyMemberCases(operation, body).Select(c => Case(c.What, c.Expect, caseBody: Encode(c.Body))));
            cases.AddRange(WholeBodyCases(operation, body).Select(c => Case(c.What, c.Expect, caseBody: c.Bytes, contentType: c.ContentType)));
        }

        return cases;

        FuzzExpect PathExpect(FuzzParameter parameter, string encoded) => parameter.Name is "id" or "idOrSlug" or "documentId"
            ? FuzzExpect.NotFound // an id or slug that names nothing in the seeded data the fuzz runs on
            : FuzzOracle.PathValue(parameter, encoded);
    }

    /// <summary>The ContentType of a case sent without a Content-Type header.</summary>
    public const string NoContentType = "";

    /// <summary>The What of each operation's control case: the valid request itself.</summary>
    public const string ControlWhat = "the valid request";

    /// <summary>Every member the schema describes, at every depth, set to wrong values, removed when required, and given unknown siblings.</summary>
    private static IEnumerable<(string What, JsonObject Body, FuzzExpect Expect)> BodyMemberCases(FuzzOperation operation, JsonObject body)
    {
        var isPatch = operation.Method == "PATCH";
        var merged = FuzzOracle.IsMerged(operation);
        yield return ("body with an unknown field", With(body, "unexpectedField", 1), FuzzExpect.Invalid);
        // A schema used in several places (BilingualText in title, signatories' names, ...) is read by one converter and
        // checked by one validator: its members get every bad value in the first place, a few in the others.
        var fuzzed = new HashSet<JsonObject>(ReferenceEqualityComparer.Instance);
        foreach (var (path, schema, required) in Members(operation.BodySchema!, ""))
        {
            var values = BadValuesFor(schema).ToList();
            foreach (var (what, value) in fuzzed.Add(schema) ? values : values.Where(v => v.What is "null" or "a number" or "10k characters" or "an unpaired high surrogate"))
            {
                yield return ($"body {path} {what}", With(body, path, value), FuzzOracle.BodyValue(operation, path, schema, required, merged, what, value));
            }

            if (required && !isPatch && Has(body, path))
            {
                yield return ($"body {path} missing", Without(body, path), FuzzOracle.BodyMissing(operation, path));
            }

            if (FuzzOperation.TypeOf(schema) == "object")
            {
                yield return ($"body {path} with an unknown field", With(body, path + ".unexpectedField", 1), FuzzExpect.Invalid);
            }
        }
    }

    private static IEnumerable<(string What, JsonNode? Value)> BadValuesFor(JsonObject schema)
    {
        var type = FuzzOperation.TypeOf(schema);
        if (type != "string")
        {
            yield return ("a string", "not-a-" + type);
        }

        if (type is not ("integer" or "number"))
        {
            yield return ("a number", 12345);
        }

        if (type != "boolean")
        {
            yield return ("a boolean", true);
        }

        if (type != "object")
        {
            yield return ("an object", new JsonObject());
        }

        if (type != "array")
        {
            yield return ("an array", new JsonArray());
        }

        yield return ("null", null);
        switch (type)
        {
            case "string":
                foreach (var (what, value) in BadStrings)
                {
                    yield return (what, value);
                }

                break;
            case "integer" or "number":
                yield return ("negative", -1);
                yield return ("zero", 0);
                yield return ("over int32", 2147483648L);
                yield return ("huge", JsonNode.Parse("1e400"));
                yield return ("a fraction", 1.5);
                yield return ("a numeric string", "12");
                break;
            case "boolean":
                yield return ("a boolean string", "true");
                yield return ("one", 1);
                break;
            case "array":
                yield return ("1,000 items", new JsonArray([.. Enumerable.Range(0, 1000).Select(i => (JsonNode?)JsonValue.Create($"item-{i}"))]));
                yield return ("a null item", new JsonArray((JsonNode?)null));
                yield return ("a nested array", new JsonArray(new JsonArray()));
                yield return ("duplicate items", new JsonArray("mutual-visits", "mutual-visits"));
                break;
            case "object":
                yield return ("empty", new JsonObject());
                break;
        }
    }

    /// <summary>The body as a whole: not JSON, not an object, too deep, too big, duplicate keys, bad bytes, wrong media type.</summary>
    private static IEnumerable<(string What, byte[] Bytes, string? ContentType, FuzzExpect Expect)> WholeBodyCases(FuzzOperation operation, JsonObject body) =>
        RawWholeBodyCases(operation, body).Select(c => (c.What, c.Bytes, c.ContentType, FuzzOracle.WholeBody(operation, c.What)));

    private static IEnumerable<(string What, byte[] Bytes, string? ContentType)> RawWholeBodyCases(FuzzOperation operation, JsonObject body)
    {
        var json = body.ToJsonString();
        var mediaType = operation.BodyMediaType!;
        var first = body.First();
        var utf8 = Encoding.UTF8.GetBytes(json);
        var stringStart = json.IndexOf(":\"", StringComparison.Ordinal) + 2;

        yield return ("an empty body", [], mediaType);
        yield return ("truncated JSON", Encoding.UTF8.GetBytes(json[..(json.Length / 2)]), mediaType);
        yield return ("JSON null", "null"u8.ToArray(), mediaType);
        yield return ("a JSON array", "[]"u8.ToArray(), mediaType);
        yield return ("a JSON string", "\"x\""u8.ToArray(), mediaType);
        yield return ("a JSON number", "1"u8.ToArray(), mediaType);
        yield return ("two JSON objects", Encoding.UTF8.GetBytes(json + json), mediaType);
        yield return ("JSON with a comment", Encoding.UTF8.GetBytes("/* c */" + json), mediaType);
        yield return ("JSON with a trailing comma", Encoding.UTF8.GetBytes(json[..^1] + ",}"), mediaType);
        yield return ("single-quoted JSON", Encoding.UTF8.GetBytes(json.Replace('"', '\'')), mediaType);
        yield return ("duplicate keys", Encoding.UTF8.GetBytes("{" + $"\"{first.Key}\":{first.Value?.ToJsonString() ?? "null"}," + json[1..]), mediaType);
        yield return ("invalid UTF-8 in a value", [.. utf8[..stringStart], 0xFF, 0xFE, 0xC3, 0x28, .. utf8[stringStart..]], mediaType);
        yield return ("overlong UTF-8 in a value", [.. utf8[..stringStart], 0xC0, 0xAF, .. utf8[stringStart..]], mediaType);
        yield return ("invalid UTF-8 in a key", [(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}'], mediaType);
        yield return ("a UTF-16 body", Encoding.Unicode.GetBytes(json), mediaType);
        yield return ("objects nested 1,000 deep", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000)), mediaType);
        yield return ("arrays nested 1,000 deep in a member", Encoding.UTF8.GetBytes($"{{\"{first.Key}\":" + new string('[', 1000) + new string(']', 1000) + "}"), mediaType);
        yield return ("a 10 MB body", Encoding.UTF8.GetBytes($"{{\"{first.Key}\":\"" + new string('a', 10 * 1024 * 1024) + "\"}"), mediaType);
        yield return ("a body one byte over 1 MiB", Encoding.UTF8.GetBytes($"{{\"{first.Key}\":\"" + new string('a', (1024 * 1024) - first.Key.Length - 5) + "\"}"), mediaType);
        yield return ("as text/plain", utf8, "text/plain");
        yield return ("as application/xml", "<agreement/>"u8.ToArray(), "application/xml");
        yield return ("as a form", "type=mou"u8.ToArray(), "application/x-www-form-urlencoded");
        yield return ("without a Content-Type", utf8, NoContentType);
        yield return ("as multipart", utf8, "multipart/form-data; boundary=x");
        yield return (mediaType == "application/json" ? "as a merge patch" : "as application/json", utf8,
            mediaType == "application/json" ? "application/merge-patch+json" : "application/json");
    }

    /// <summary>The members of a schema, depth-first, with paths like <c>cooperation.scopes</c> and <c>signatories[0].name.ja</c>.</summary>
    private static IEnumerable<(string Path, JsonObject Schema, bool Required)> Members(JsonObject schema, string prefix)
    {
        var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
        foreach (var (name, node) in schema["properties"]?.AsObject() ?? [])
        {
            var member = FuzzOperation.Resolve(Document, node) ?? [];
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            yield return (path, member, required.Contains(name));
            switch (FuzzOperation.TypeOf(member))
            {
                case "object":
                    foreach (var inner in Members(member, path))
                    {
                        yield return inner;
                    }

                    break;
                case "array" when FuzzOperation.Resolve(Document, member["items"]) is { } items && FuzzOperation.TypeOf(items) == "object":
                    foreach (var inner in Members(items, path + "[0]"))
                    {
                        yield return inner;
                    }

                    break;
            }
        }
    }

    /// <summary>The OpenAPI document that schemas are resolved against; set by the test before it generates.</summary>
    public static JsonNode Document { get; set; } = new JsonObject();

    public static byte[] Encode(JsonNode body) => Encoding.UTF8.GetBytes(body.ToJsonString()
        .Replace(LoneHighSurrogate, "\\ud800", StringComparison.Ordinal)
        .Replace(LoneLowSurrogate, "\\udc00", StringComparison.Ordinal));

    private static JsonObject With(JsonObject body, string path, JsonNode? value)
    {
        var copy = body.DeepClone().AsObject();
        var (parent, last) = Walk(copy, path, create: true);
        if (last.Index is { } index)
        {
            var array = parent[last.Name] as JsonArray ?? [];
            parent[last.Name] = array;
            while (array.Count <= index)
            {
                array.Add(null);
            }

            array[index] = value;
        }
        else
        {
            parent[last.Name] = value;
        }

        return copy;
    }

    private static JsonObject Without(JsonObject body, string path)
    {
        var copy = body.DeepClone().AsObject();
        var (parent, last) = Walk(copy, path, create: false);
        parent.Remove(last.Name);
        return copy;
    }

    private static bool Has(JsonObject body, string path)
    {
        var (parent, last) = Walk(body.DeepClone().AsObject(), path, create: false);
        return parent.ContainsKey(last.Name);
    }

    private readonly record struct Segment(string Name, int? Index);

    /// <summary>The object that holds the path's last segment, creating objects (and one-item arrays) on the way when asked.</summary>
    private static (JsonObject Parent, Segment Last) Walk(JsonObject root, string path, bool create)
    {
        var segments = path.Split('.').Select(s => s.EndsWith("[0]", StringComparison.Ordinal) ? new Segment(s[..^3], 0) : new Segment(s, null)).ToList();
        var current = root;
        foreach (var segment in segments[..^1])
        {
            var next = current[segment.Name];
            if (segment.Index is { } index)
            {
                if (next is not JsonArray array || array.Count <= index || array[index] is not JsonObject)
                {
                    if (!create)
                    {
                        return ([], segments[^1]);
                    }

                    array = [new JsonObject()];
                    current[segment.Name] = array;
                }

                current = array[index]!.AsObject();
            }
            else
            {
                if (next is not JsonObject obj)
                {
                    if (!create)
                    {
                        return ([], segments[^1]);
                    }

                    obj = [];
                    current[segment.Name] = obj;
                }

                current = obj;
            }
        }

        return (current, segments[^1]);
    }

    private static string WithQuery(string url, string name, string encodedValue) =>
        url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + Uri.EscapeDataString(name) + "=" + encodedValue;

    private static string Shorten(string text) => text.Length > 40 ? text[..20] + $"…({text.Length} chars)" : text;
}
