using LinkJ.Domain.Common;

namespace LinkJ.Domain.Agreements;

/// <summary>
/// When an agreement is in force: from a date, until a date or open-ended. A term in months (UCLA's MOU ran five years)
/// fixes the end: the day before the same date <see cref="TermMonths"/> later.
/// </summary>
public sealed record Validity
{
    public const int MaxTermMonths = 1200;

    private Validity(DateOnly from, DateOnly? until, int? termMonths)
    {
        From = from;
        Until = until;
        TermMonths = termMonths;
    }

    public DateOnly From { get; private init; }

    /// <summary>The last day in force; null while open-ended.</summary>
    public DateOnly? Until { get; private init; }

    /// <summary>The term the agreement was signed for, when it was signed for one.</summary>
    public int? TermMonths { get; private init; }

    public static Validity OpenEnded(DateOnly from) => new(from, null, null);

    public static Validity Between(DateOnly from, DateOnly until)
    {
        Guard.That(until >= from, AgreementErrors.ValidityEndsBeforeStart);
        return new Validity(from, until, null);
    }

    public static Validity ForTerm(DateOnly from, int months)
    {
        Guard.That(months is > 0 and <= MaxTermMonths && from <= DateOnly.MaxValue.AddMonths(-months), AgreementErrors.InvalidTerm);
        return new Validity(from, from.AddMonths(months).AddDays(-1), months);
    }

    /// <summary>Builds a validity from its parts, checking they agree with each other.</summary>
    public static Validity Create(DateOnly from, DateOnly? until, int? termMonths)
    {
        if (termMonths is { } months)
        {
            var byTerm = ForTerm(from, months);
            Guard.That(until is null || until == byTerm.Until, AgreementErrors.TermDisagreesWithEnd);
            return byTerm;
        }

        return until is { } end ? Between(from, end) : OpenEnded(from);
    }

    /// <summary>True once <paramref name="today"/> is past the last day in force.</summary>
    public bool HasEndedBy(DateOnly today) => Until is { } end && today > end;
}
