using FluentValidation;

namespace LinkJ.Application.Partners.Commands.UpsertPartnerByRef;

public sealed class UpsertPartnerByRefValidator : AbstractValidator<UpsertPartnerByRefCommand>
{
    public UpsertPartnerByRefValidator() =>
        RuleFor(c => c.Input).NotNull().SetValidator(new PartnerInputValidator()).OverridePropertyName(string.Empty);
}
