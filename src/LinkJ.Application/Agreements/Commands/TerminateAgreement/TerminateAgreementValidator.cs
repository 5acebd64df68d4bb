using FluentValidation;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Agreements.Commands.TerminateAgreement;

public sealed class TerminateAgreementValidator : AbstractValidator<TerminateAgreementCommand>
{
    public TerminateAgreementValidator()
    {
        RuleFor(c => c.On)
            .Must(on => PartialDate.TryParse(on, out var date) && date.Precision == DatePrecision.Day)
            .WithMessage("Must be a date YYYY-MM-DD.")
            .OverridePropertyName("on");
        RuleFor(c => c.Reason).NotEmpty().MaximumLength(AgreementErrors.MaxNoteLength).OverridePropertyName("reason");
    }
}
