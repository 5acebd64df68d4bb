using FluentValidation;
using LinkJ.Application.Common;

namespace LinkJ.Application.Changes.Queries.ListChanges;

public sealed class ListChangesValidator : AbstractValidator<ListChangesQuery>
{
    public ListChangesValidator()
    {
        RuleFor(q => q.Limit)
            .InclusiveBetween(1, ListChangesQuery.MaxLimit)
            .WithMessage($"limit must be between 1 and {ListChangesQuery.MaxLimit}.")
            .OverridePropertyName("limit");
        RuleFor(q => q.After).ValidCursor(ListChangesQuery.CursorKind, 1, keys => ValidationRules.IsPosition(keys[0])).OverridePropertyName("after");
    }
}
