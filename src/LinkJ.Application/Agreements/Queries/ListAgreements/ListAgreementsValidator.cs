using FluentValidation;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Agreements.Queries.ListAgreements;

public sealed class ListAgreementsValidator : AbstractValidator<ListAgreementsQuery>
{
    /// <summary>The years <c>year</c> may name (the document states them too).</summary>
    public const int MinYear = 1900, MaxYear = 2200;

    public ListAgreementsValidator()
    {
        RuleFor(q => q.Country).ValidCountry().OverridePropertyName("country");
        RuleFor(q => q.PartnerKind).ValidEnum<ListAgreementsQuery, PartnerKind>().OverridePropertyName("partnerKind");
        RuleFor(q => q.Status).ValidEnum<ListAgreementsQuery, AgreementStatus>().OverridePropertyName("status");
        RuleFor(q => q.Scope)
            .Must(scope => scope is null || Slug.IsValid(scope))
            .WithErrorCode(CommonErrors.InvalidSlug.Code)
            .WithMessage("A scope is a code such as publication-exchange (see /api/v1/cooperation-scopes).")
            .OverridePropertyName("scope");
        RuleFor(q => q.SignedFrom).ValidPartialDate().OverridePropertyName("signedFrom");
        RuleFor(q => q.SignedTo).ValidPartialDate().OverridePropertyName("signedTo");
        RuleFor(q => q)
            .Must(q => PartialDate.Parse(q.SignedFrom).Earliest <= PartialDate.Parse(q.SignedTo).Latest)
            .When(q => PartialDate.TryParse(q.SignedFrom, out _) && PartialDate.TryParse(q.SignedTo, out _))
            .WithErrorCode("date.range-reversed")
            .WithMessage("signedFrom must not be after signedTo.")
            .OverridePropertyName("signedTo");
        RuleFor(q => q.Limit).ValidPageLimit().OverridePropertyName("limit");
        RuleFor(q => q.Q).ValidSearch().OverridePropertyName("q");
        RuleFor(q => q.Year).InclusiveBetween(MinYear, MaxYear).OverridePropertyName("year");
        RuleFor(q => q.Sort).Must(s => s is null || ListAgreementsQuery.Sorts.Contains(s))
            .WithMessage($"Must be one of: {string.Join(", ", ListAgreementsQuery.Sorts)}.").OverridePropertyName("sort");
        RuleFor(q => q.ExpiringWithin)
            .Must(value => value is null || CalendarPeriod.TryParse(value, out _))
            .WithErrorCode("duration.invalid")
            .WithMessage("expiringWithin: " + CalendarPeriod.Rule)
            .OverridePropertyName("expiringWithin");
        RuleFor(q => q.Cursor)
            .Must((query, cursor) => cursor is null || (Cursor.TryDecode(cursor, query.CursorKind, 2, out var keys)
                && (query.Sort is "name" or "-name" || ValidationRules.IsDay(keys[0])) && ValidationRules.IsPosition(keys[1])))
            .WithErrorCode("cursor.invalid")
            .WithMessage("The cursor is not one this service issued for this list and sort; start again without it.")
            .OverridePropertyName("cursor");
    }
}
