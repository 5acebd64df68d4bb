using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LinkJ.Api.Http;

/// <summary>
/// JSON may spell an unpaired UTF-16 surrogate (<c>"\ud800"</c>) and a parser may pass on invalid UTF-8 in a member
/// name, but neither is text: nothing can store, hash or write it back. A body with either is malformed (400), found
/// where it is read rather than wherever it would first break (the idempotency hash, the merge patch, the database).
/// </summary>
public static class UnicodeText
{
    public const string Malformed = "The body has text that is not Unicode: invalid UTF-8 or an unpaired surrogate.";

    public static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads every member name and string of a parsed body; throws <see cref="JsonException"/> at the first that is not text.</summary>
    public static void EnsureWellFormed(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    Check(name);
                    EnsureWellFormed(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    EnsureWellFormed(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                Check(value.GetValue<string>());
                break;
        }
    }

    private static void Check(string text)
    {
        if (!IsWellFormed(text))
        {
            throw new JsonException(Malformed);
        }
    }
}

/// <summary>Strings of request bodies: refused (a <see cref="JsonException"/>, so 400 with the member's path) when not text.</summary>
public sealed class UnicodeStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected a string.");
        }

        var value = reader.GetString()!;
        return UnicodeText.IsWellFormed(value) ? value : throw new JsonException(UnicodeText.Malformed);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
