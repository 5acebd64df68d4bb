using FluentValidation;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Partners.Queries.ListPartners;

public sealed class ListPartnersValidator : AbstractValidator<ListPartnersQuery>
{
    public ListPartnersValidator()
    {
        RuleFor(q => q.Country).ValidCountry().OverridePropertyName("country");
        RuleFor(q => q.Kind).ValidEnum<ListPartnersQuery, PartnerKind>().OverridePropertyName("kind");
        RuleFor(q => q.Limit).ValidPageLimit().OverridePropertyName("limit");
        RuleFor(q => q.Q).ValidSearch().OverridePropertyName("q");
        RuleFor(q => q.Sort).Must(s => s is null || ListPartnersQuery.Sorts.Contains(s))
            .WithMessage($"Must be one of: {string.Join(", ", ListPartnersQuery.Sorts)}.").OverridePropertyName("sort");
        RuleFor(q => q.Cursor)
            .Must((query, cursor) => cursor is null || (Cursor.TryDecode(cursor, query.CursorKind, 2, out var keys) && ValidationRules.IsPosition(keys[1])))
            .WithErrorCode("cursor.invalid")
            .WithMessage("The cursor is not one this service issued for this list and sort; start again without it.")
            .OverridePropertyName("cursor");
    }
}
