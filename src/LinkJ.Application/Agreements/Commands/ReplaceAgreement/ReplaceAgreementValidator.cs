using FluentValidation;

namespace LinkJ.Application.Agreements.Commands.ReplaceAgreement;

public sealed class ReplaceAgreementValidator : AbstractValidator<ReplaceAgreementCommand>
{
    public ReplaceAgreementValidator() =>
        RuleFor(c => c.Input).NotNull().SetValidator(new AgreementInputValidator()).OverridePropertyName(string.Empty);
}
