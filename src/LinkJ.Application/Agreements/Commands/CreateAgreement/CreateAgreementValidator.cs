using FluentValidation;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;

namespace LinkJ.Application.Agreements.Commands.CreateAgreement;

public sealed class CreateAgreementValidator : AbstractValidator<CreateAgreementCommand>
{
    public CreateAgreementValidator()
    {
        RuleFor(c => c.Input).NotNull().SetValidator(new AgreementInputValidator()).OverridePropertyName(string.Empty);
        RuleFor(c => c.Status)
            .Must(s => s is null || s is "draft" or "active")
            .WithMessage("A new agreement is draft or active.")
            .OverridePropertyName("status");
        RuleFor(c => c.Status).ValidEnum<CreateAgreementCommand, AgreementStatus>().OverridePropertyName("status");
    }
}
