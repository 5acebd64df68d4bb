using FluentValidation;
using LinkJ.Application.Common.Paging;

namespace LinkJ.Application.Common;

/// <summary>
/// The bounds several lists' parameters share, so that a limit or a search reads and says the same everywhere. Coded
/// values (countries, kinds, dates, sorts, cursors) are not checked here: <see cref="WireParse"/> parses them, once (ADR 0050).
/// </summary>
public static class ValidationRules
{
    public static IRuleBuilderOptions<T, int?> ValidPageLimit<T>(this IRuleBuilder<T, int?> rule) =>
        rule.InclusiveBetween(1, PageLimits.Max).WithMessage($"limit must be between 1 and {PageLimits.Max}.");

    public static IRuleBuilderOptions<T, string?> ValidSearch<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(q => q is null || (!string.IsNullOrWhiteSpace(q) && q.Length <= Search.MaxLength && !q.Any(char.IsControl) && !LinkJ.Domain.Common.UnicodeRules.HasNoncharacter(q)))
            .WithErrorCode("search.invalid")
            .WithMessage($"q is 1 to {Search.MaxLength} characters of text.");
}
