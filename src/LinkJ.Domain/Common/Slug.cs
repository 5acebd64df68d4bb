using System.Text.RegularExpressions;

namespace LinkJ.Domain.Common;

/// <summary>A URL-safe, human-readable identifier such as <c>osaka-prefecture</c>.</summary>
public sealed partial record Slug
{
    public const int MaxLength = 80;

    private Slug(string value) => Value = value;

    public string Value { get; }

    public static Slug Create(string? value)
    {
        Guard.That(value is not null && IsValid(value), CommonErrors.InvalidSlug);
        return new Slug(value!);
    }

    public static bool IsValid(string value) => value.Length <= MaxLength && Pattern().IsMatch(value);

    public override string ToString() => Value;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
