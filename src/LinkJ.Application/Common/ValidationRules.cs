using FluentValidation;
using LinkJ.Application.Common.Paging;

namespace LinkJ.Application.Common;

/// <summary>
/// The bounds several lists' parameters share, so that a limit reads and says the same everywhere. Coded values
/// (countries, kinds, dates, sorts, cursors) and the search text are not checked here: <see cref="WireParse"/> parses
/// them, once (ADR 0050, 0054).
/// </summary>
public static class ValidationRules
{
    public static IRuleBuilderOptions<T, int?> ValidPageLimit<T>(this IRuleBuilder<T, int?> rule) =>
        rule.InclusiveBetween(1, PageLimits.Max).WithMessage($"limit must be between 1 and {PageLimits.Max}.");
}
