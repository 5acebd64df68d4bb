using FluentValidation;

namespace LinkJ.Application.Partners.Commands.ReplacePartner;

public sealed class ReplacePartnerValidator : AbstractValidator<ReplacePartnerCommand>
{
    public ReplacePartnerValidator() =>
        RuleFor(c => c.Input).NotNull().SetValidator(new PartnerInputValidator()).OverridePropertyName(string.Empty);
}
