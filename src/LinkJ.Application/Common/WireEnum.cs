using System.Collections.Frozen;
using System.Text.Json;

namespace LinkJ.Application.Common;

/// <summary>
/// Enums on the wire are kebab-case strings (<c>local-government</c>), never numbers; this parses and writes them
/// the same way the JSON serializer does. The names are worked out once per enum type: every stored row's enums go
/// through here.
/// </summary>
public static class WireEnum
{
    public static string ToWire<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Names<TEnum>.ToWire.TryGetValue(value, out var wire) ? wire : JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        if (text is not null && Names<TEnum>.FromWire.TryGetValue(text, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    public static bool IsValid<TEnum>(string? text)
        where TEnum : struct, Enum => TryParse<TEnum>(text, out _);

    /// <summary>The allowed values, for error messages.</summary>
    public static string Allowed<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Enum.GetValues<TEnum>().Select(ToWire));

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> ToWire =
            Enum.GetValues<TEnum>().Distinct().ToFrozenDictionary(v => v, v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()));

        public static readonly FrozenDictionary<string, TEnum> FromWire =
            ToWire.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);
    }
}
