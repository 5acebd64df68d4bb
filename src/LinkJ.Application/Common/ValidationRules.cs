using System.Globalization;
using FluentValidation;
using LinkJ.Application.Common.Paging;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Common;

/// <summary>Rules that several queries share, so that a filter means and says the same everywhere.</summary>
public static class ValidationRules
{
    public static IRuleBuilderOptions<T, int?> ValidPageLimit<T>(this IRuleBuilder<T, int?> rule) =>
        rule.InclusiveBetween(1, PageLimits.Max).WithMessage($"limit must be between 1 and {PageLimits.Max}.");

    public static IRuleBuilderOptions<T, string?> ValidCountry<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || CountryCode.IsValid(value))
            .WithErrorCode(CommonErrors.InvalidCountryCode.Code)
            .WithMessage(CommonErrors.InvalidCountryCode.Message);

    public static IRuleBuilderOptions<T, string?> ValidPartialDate<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || PartialDate.TryParse(value, out _))
            .WithErrorCode(CommonErrors.InvalidPartialDate.Code)
            .WithMessage(CommonErrors.InvalidPartialDate.Message);

    public static IRuleBuilderOptions<T, string?> ValidEnum<T, TEnum>(this IRuleBuilder<T, string?> rule)
        where TEnum : struct, Enum =>
        rule.Must(value => value is null || WireEnum.IsValid<TEnum>(value))
            .WithErrorCode("value.unknown")
            .WithMessage($"Must be one of: {WireEnum.Allowed<TEnum>()}.");

    /// <summary>A cursor this service issued for this list, whose keys also read as what the list expects.</summary>
    public static IRuleBuilderOptions<T, string?> ValidCursor<T>(this IRuleBuilder<T, string?> rule, string kind, int keyCount, Func<string[], bool> keysValid) =>
        rule.Must(value => value is null || (Cursor.TryDecode(value, kind, keyCount, out var keys) && keysValid(keys)))
            .WithErrorCode("cursor.invalid")
            .WithMessage("The cursor is not one this service issued for this list; start again without it.");

    public static IRuleBuilderOptions<T, string?> ValidSearch<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(q => q is null || (!string.IsNullOrWhiteSpace(q) && q.Length <= Search.MaxLength && !q.Any(char.IsControl) && !LinkJ.Domain.Common.UnicodeRules.HasNoncharacter(q)))
            .WithErrorCode("search.invalid")
            .WithMessage($"q is 1 to {Search.MaxLength} characters of text.");

    public static bool IsPosition(string key) => long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    public static bool IsDay(string key) => DateOnly.TryParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}
