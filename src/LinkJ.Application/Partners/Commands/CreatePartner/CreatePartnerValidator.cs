using FluentValidation;

namespace LinkJ.Application.Partners.Commands.CreatePartner;

public sealed class CreatePartnerValidator : AbstractValidator<CreatePartnerCommand>
{
    public CreatePartnerValidator() =>
        RuleFor(c => c.Input).NotNull().SetValidator(new PartnerInputValidator()).OverridePropertyName(string.Empty);
}
