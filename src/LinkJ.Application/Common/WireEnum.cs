using System.Text.Json;

namespace LinkJ.Application.Common;

/// <summary>
/// Enums on the wire are kebab-case strings (<c>local-government</c>), never numbers; this parses and writes them
/// the same way the JSON serializer does.
/// </summary>
public static class WireEnum
{
    public static string ToWire<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(ToWire(candidate), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static bool IsValid<TEnum>(string? text)
        where TEnum : struct, Enum => TryParse<TEnum>(text, out _);

    /// <summary>The allowed values, for error messages.</summary>
    public static string Allowed<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Enum.GetValues<TEnum>().Select(ToWire));
}
