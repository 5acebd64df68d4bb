using FluentValidation;
using LinkJ.Application.Common.Dtos;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Agreements;

/// <summary>
/// The shape of an agreement input: present and within bounds. Its coded values (type, dates) are parsed once, by
/// <see cref="AgreementFields.Parse"/>, which runs this validator in the same pass; the domain checks the rules between fields.
/// </summary>
public sealed class AgreementInputValidator : AbstractValidator<AgreementInput>
{
    public AgreementInputValidator()
    {
        RuleFor(i => i.PartnerId).NotNull().NotEqual(Guid.Empty).OverridePropertyName("partnerId");
        RuleFor(i => i.Type).NotNull().OverridePropertyName("type");
        RuleFor(i => i.Title).NotNull().SetValidator(new BilingualTextValidator()!).OverridePropertyName("title");
        RuleFor(i => i.SignedOn).NotNull().OverridePropertyName("signedOn");
        RuleFor(i => i.Validity!.TermMonths).InclusiveBetween(1, Validity.MaxTermMonths).When(i => i.Validity?.TermMonths is not null).OverridePropertyName("validity.termMonths");
        RuleFor(i => i.Cooperation).NotNull().OverridePropertyName("cooperation");
        RuleFor(i => i.Cooperation!.Scopes).NotEmpty().When(i => i.Cooperation is not null).OverridePropertyName("cooperation.scopes");
        RuleFor(i => i.Cooperation!.Scopes!.Count).LessThanOrEqualTo(AgreementErrors.MaxScopes).When(i => i.Cooperation?.Scopes is not null).OverridePropertyName("cooperation.scopes");
        RuleForEach(i => i.Cooperation!.Scopes).Must(code => code is not null && Slug.IsValid(code)).When(i => i.Cooperation?.Scopes is not null)
            .WithMessage("A scope is a code such as publication-exchange (see /api/v1/cooperation-scopes).").OverridePropertyName("cooperation.scopes");
        RuleFor(i => i.Cooperation!.Note).MaximumLength(AgreementErrors.MaxNoteLength).When(i => i.Cooperation is not null).OverridePropertyName("cooperation.note");
        RuleFor(i => i.Signatories!.Count).LessThanOrEqualTo(AgreementErrors.MaxSignatories).When(i => i.Signatories is not null).OverridePropertyName("signatories");
        RuleForEach(i => i.Signatories).NotNull().WithMessage("A signatory is an object with at least a name.").When(i => i.Signatories is not null).OverridePropertyName("signatories");
        RuleForEach(i => i.Signatories).ChildRules(s =>
        {
            s.RuleFor(x => x.Name).NotNull().SetValidator(new BilingualTextValidator()!);
            s.RuleFor(x => x.Title!).SetValidator(new BilingualTextValidator()).When(x => x.Title is not null);
            s.RuleFor(x => x.Organisation!).SetValidator(new BilingualTextValidator()).When(x => x.Organisation is not null);
        }).When(i => i.Signatories is not null && i.Signatories.All(s => s is not null)).OverridePropertyName("signatories");
        RuleFor(i => i.SourceNote).MaximumLength(AgreementErrors.MaxNoteLength).OverridePropertyName("sourceNote");
    }
}

/// <summary>A bilingual text: Japanese required and not blank, both bounded.</summary>
public sealed class BilingualTextValidator : AbstractValidator<BilingualTextDto>
{
    public BilingualTextValidator()
    {
        RuleFor(t => t.Ja).NotEmpty().Must(ja => !string.IsNullOrWhiteSpace(ja)).WithMessage("A Japanese text is required.")
            .MaximumLength(BilingualText.MaxLength).OverridePropertyName("ja");
        RuleFor(t => t.En).MaximumLength(BilingualText.MaxLength).OverridePropertyName("en");
    }
}
