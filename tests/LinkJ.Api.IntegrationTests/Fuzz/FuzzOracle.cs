using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LinkJ.Api.IntegrationTests.Fuzz;

/// <summary>
/// What answer each generated value must get, decided from the OpenAPI schema of the place it is sent to (its type,
/// required list, lengths and bounds), the service's documented rules for all text (docs/api-guide.md: texts are trimmed, control
/// characters other than tab and newline are refused) and what kind of value each member is (<see cref="KindOf"/>: a
/// code, a date, an id, a slug... of which the fuzz's values are never one unless they happen to have the syntax) —
/// never from what the service answered. Where none of these says whether a value is valid (null for a nested member
/// the document does not mark required, a bound the document does not state), the case is <see cref="FuzzExpect.Either"/>:
/// valid or 400, nothing else.
/// </summary>
public static class FuzzOracle
{
    private const string SlugPattern = "^[a-z0-9]+(-[a-z0-9]+)*$";

    /// <summary>What a member or parameter holds, by its name: everything not listed is free text.</summary>
    private enum Kind
    {
        FreeText,
        Code,
        Date,
        Id,
        Slug,
        Country,
        Url,
    }

    private static Kind KindOf(string name) => name.Split('.')[^1].Replace("[0]", string.Empty, StringComparison.Ordinal) switch
    {
        "partnerId" => Kind.Id,
        "type" or "status" or "kind" or "sort" or "partnerKind" or "format" or "lang" or "cursor" or "after" => Kind.Code,
        "signedOn" or "from" or "until" or "on" or "signedFrom" or "signedTo" => Kind.Date,
        "slug" or "scope" or "scopes" or "source" => Kind.Slug,
        "country" => Kind.Country,
        "website" or "url" => Kind.Url,
        _ => Kind.FreeText,
    };

    /// <summary>Members the contract requires although the document's schema does not list them (nullable in C#, required by the validators).</summary>
    private static readonly HashSet<string> RequiredByContract = new(StringComparer.Ordinal)
    {
        "partnerId", "type", "title", "title.ja", "signedOn", "cooperation", "cooperation.scopes", "slug", "name", "name.ja", "kind", "country", "on", "reason", "language", "url",
    };

    /// <summary>Optional coded members: null (or, merged, removed) leaves them out.</summary>
    private static readonly HashSet<string> OptionalCoded = new(StringComparer.Ordinal) { "status", "validity.from", "validity.until", "website" };

    /// <summary>Bodies merged into what is stored rather than taken whole: a merge patch, and a renewal's changes.</summary>
    public static bool IsMerged(FuzzOperation operation) =>
        operation.Method == "PATCH" || operation.Path.EndsWith("/renew", StringComparison.Ordinal);

    /// <summary>A query value, percent-encoded as sent.</summary>
    public static FuzzExpect QueryValue(FuzzParameter parameter, string encoded)
    {
        if (encoded.Length == 0)
        {
            return FuzzExpect.Invalid; // "?limit=": a parameter given without a value
        }

        return TextValue(parameter.Name, parameter.Schema, Decode(encoded)!, required: true);
    }

    /// <summary>A parameter given twice (1 and 2): the framework binds the values joined with a comma ("1,2"), which the schema then judges.</summary>
    public static FuzzExpect QueryGivenTwice(FuzzParameter parameter) => TextValue(parameter.Name, parameter.Schema, "1,2", required: true);

    /// <summary>A path value other than an id or slug (a source system's name, an external id).</summary>
    public static FuzzExpect PathValue(FuzzParameter parameter, string encoded) => TextValue(parameter.Name, parameter.Schema, Decode(encoded)!, required: true);

    /// <summary>A text value for a member or parameter, by its kind; integers by their documented bounds.</summary>
    private static FuzzExpect TextValue(string name, JsonObject schema, string value, bool required)
    {
        if (FuzzOperation.TypeOf(schema) is "integer" or "number")
        {
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && !(value.StartsWith('-') && long.TryParse(value[1..], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                return FuzzExpect.Invalid;
            }

            // Zero and negatives where the document states no bound: it does not say.
            return schema["minimum"] is null && (value.StartsWith('-') || n == 0) ? FuzzExpect.Either
                : long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var signed) && InRange(schema, signed) ? FuzzExpect.Valid : FuzzExpect.Invalid;
        }

        if (FuzzOperation.TypeOf(schema) is "boolean")
        {
            return bool.TryParse(value, out _) ? FuzzExpect.Valid : FuzzExpect.Invalid; // true or false, nothing else
        }

        var trimmed = value.Trim();
        var kind = KindOf(name);
        if (kind != Kind.FreeText && trimmed.Length == 0)
        {
            return FuzzExpect.Invalid; // a blank code, date or id is not "not given"
        }

        var syntax = kind switch
        {
            Kind.FreeText => true,
            Kind.Slug => Regex.IsMatch(trimmed, SlugPattern, RegexOptions.None, TimeSpan.FromSeconds(1)),
            Kind.Date => DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            Kind.Id => Guid.TryParse(trimmed, out _),
            Kind.Country => Regex.IsMatch(trimmed, "^[A-Z]{2}$", RegexOptions.None, TimeSpan.FromSeconds(1)),
            Kind.Url => Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
            _ => false, // a code: the fuzz never sends a known one
        };
        return syntax && Accepts(schema, value, required) ? FuzzExpect.Valid : FuzzExpect.Invalid;
    }

    /// <summary>A required member left out of a body taken whole.</summary>
    public static FuzzExpect BodyMissing(FuzzOperation operation, string path) => FuzzExpect.Invalid;

    /// <summary>A body member set to <paramref name="value"/>.</summary>
    public static FuzzExpect BodyValue(FuzzOperation operation, string path, JsonObject schema, bool required, bool merged, string what, JsonNode? value)
    {
        var type = FuzzOperation.TypeOf(schema);
        required = required || RequiredByContract.Contains(path) || path.EndsWith(".ja", StringComparison.Ordinal) && RequiredByContract.Contains(path[..^3]);
        if (value is null)
        {
            // null leaves an optional member out (or, merged, removes it); a required one cannot be null. A member
            // nested in a list item or a coded member the contract does not name: the document does not say.
            return required ? FuzzExpect.Invalid
                : KindOf(path) == Kind.FreeText && !path.Contains("[0]", StringComparison.Ordinal) || OptionalCoded.Contains(path) ? FuzzExpect.Valid
                : FuzzExpect.Either;
        }

        switch (type, value)
        {
            case ("string", JsonValue text) when text.TryGetValue<string>(out var s):
                return TextValue(path, schema, s, required);
            case ("integer", JsonValue number) when number.TryGetValue<long>(out var n):
                return InRange(schema, n) ? FuzzExpect.Valid : FuzzExpect.Invalid;
            case ("boolean", JsonValue flag) when flag.TryGetValue<bool>(out _):
                return FuzzExpect.Valid;
            case ("object", JsonObject obj) when obj.Count == 0:
                // {} merged changes nothing; taken whole it is valid only when none of its members is required.
                return merged || schema["required"] is not JsonArray { Count: > 0 } ? FuzzExpect.Valid : FuzzExpect.Invalid;
            case ("array", JsonArray items):
                return items.Count <= (schema["maxItems"]?.GetValue<int>() ?? int.MaxValue) && items.All(i => i is JsonValue v && v.TryGetValue<string>(out _))
                       && items.Select(i => i!.GetValue<string>()).Distinct().Count() == items.Count
                       && FuzzOperation.Resolve(FuzzCases.Document, schema["items"]) is { } itemSchema && items.All(i => Accepts(itemSchema, i!.GetValue<string>(), required: true))
                    ? FuzzExpect.Valid
                    : FuzzExpect.Invalid;
            default:
                return FuzzExpect.Invalid; // the wrong JSON type
        }
    }

    /// <summary>The body as a whole: not JSON, broken, too big, or in another media type.</summary>
    public static FuzzExpect WholeBody(FuzzOperation operation, string what) => what switch
    {
        // A document's add takes files up to 20 MiB (multipart) and reads its JSON itself, as application/json only.
        "a 10 MB body" or "a body one byte over 1 MiB" or "as multipart" when operation.Path.EndsWith("/documents", StringComparison.Ordinal) => FuzzExpect.Invalid,
        "as a merge patch" when operation.Path.EndsWith("/documents", StringComparison.Ordinal) => FuzzExpect.UnsupportedMediaType,
        "a 10 MB body" or "a body one byte over 1 MiB" => FuzzExpect.TooLarge,
        "as text/plain" or "as application/xml" or "as a form" or "as multipart" or "as application/json" => FuzzExpect.UnsupportedMediaType,
        // JSON bodies bound by the framework take any JSON media type (application/*+json); a renewal's changes are read as application/json only.
        "as a merge patch" => operation.Path.EndsWith("/renew", StringComparison.Ordinal) ? FuzzExpect.UnsupportedMediaType : FuzzExpect.Valid,
        "without a Content-Type" => FuzzExpect.UnsupportedMediaType,
        _ => FuzzExpect.Invalid,
    };

    /// <summary>Whether a text value is one the schema accepts, after the service's trimming and its rules for all text.</summary>
    public static bool Accepts(JsonObject schema, string value, bool required)
    {
        if (value.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')) || HasLoneSurrogate(value))
        {
            return false;
        }

        var type = FuzzOperation.TypeOf(schema);
        if (type is "integer" or "number")
        {
            return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && InRange(schema, n);
        }

        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return !required; // blank is "not given"
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => a?.GetValue<string>() == trimmed))
        {
            return false;
        }

        if (schema["format"]?.GetValue<string>() == "date" && !DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return false;
        }

        if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(trimmed, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            return false;
        }

        var length = new StringInfo(trimmed).LengthInTextElements;
        return length <= (schema["maxLength"]?.GetValue<int>() ?? int.MaxValue) && length >= (schema["minLength"]?.GetValue<int>() ?? 0);
    }

    private static bool InRange(JsonObject schema, long value) =>
        value >= (schema["minimum"]?.GetValue<double>() ?? int.MinValue) && value <= (schema["maximum"]?.GetValue<double>() ?? int.MaxValue);

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return value.Contains("@@lone-", StringComparison.Ordinal); // the generator's markers for escaped lone surrogates
    }

    /// <summary>The value as the server decodes it: bytes that are not UTF-8 become U+FFFD (the server's decoder replaces them before the app sees them).</summary>
    private static string? Decode(string encoded)
    {
        {
            var bytes = new List<byte>();
            for (var i = 0; i < encoded.Length; i++)
            {
                if (encoded[i] == '%' && i + 2 < encoded.Length
                    && byte.TryParse(encoded.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
                {
                    bytes.Add(b);
                    i += 2;
                }
                else
                {
                    bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(encoded[i].ToString()));
                }
            }

            return System.Text.Encoding.UTF8.GetString([.. bytes]);
        }
    }
}
