using FluentValidation;
using LinkJ.Application.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Partners.Queries.ListPartners;

public sealed class ListPartnersValidator : AbstractValidator<ListPartnersQuery>
{
    public ListPartnersValidator()
    {
        RuleFor(q => q.Country).ValidCountry().OverridePropertyName("country");
        RuleFor(q => q.Kind).ValidEnum<ListPartnersQuery, PartnerKind>().OverridePropertyName("kind");
        RuleFor(q => q.Limit).ValidPageLimit().OverridePropertyName("limit");
        RuleFor(q => q.Cursor).ValidCursor(ListPartnersQuery.CursorKind, 1, keys => ValidationRules.IsPosition(keys[0])).OverridePropertyName("cursor");
    }
}
