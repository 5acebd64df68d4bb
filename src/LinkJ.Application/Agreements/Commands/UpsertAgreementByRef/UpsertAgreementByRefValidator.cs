using FluentValidation;

namespace LinkJ.Application.Agreements.Commands.UpsertAgreementByRef;

public sealed class UpsertAgreementByRefValidator : AbstractValidator<UpsertAgreementByRefCommand>
{
    public UpsertAgreementByRefValidator()
    {
        RuleFor(c => c.Input).NotNull().SetValidator(new AgreementInputValidator()).OverridePropertyName(string.Empty);
        RuleFor(c => c.Input.Status).Must(s => s is null or "draft" or "active").WithMessage("A new agreement is draft or active.").OverridePropertyName("status");
    }
}
