using FluentValidation;
using LinkJ.Application.Agreements;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Partners;

/// <summary>
/// The shape of a partner input: present and within bounds. Its coded values (slug, kind, country, website, dates) are
/// parsed once, by <see cref="PartnerFields.Parse"/>, which runs this validator in the same pass.
/// </summary>
public sealed class PartnerInputValidator : AbstractValidator<PartnerInput>
{
    public const int MaxWebsiteLength = 2000;

    public PartnerInputValidator()
    {
        RuleFor(i => i.Slug).NotNull().OverridePropertyName("slug");
        RuleFor(i => i.Name).NotNull().SetValidator(new BilingualTextValidator()!).OverridePropertyName("name");
        RuleFor(i => i.ShortName).MaximumLength(PartnerErrors.MaxShortNameLength).OverridePropertyName("shortName");
        RuleFor(i => i.Kind).NotNull().OverridePropertyName("kind");
        RuleFor(i => i.Country).NotNull().OverridePropertyName("country");
        RuleFor(i => i.Region!).SetValidator(new BilingualTextValidator()).When(i => i.Region is not null).OverridePropertyName("region");
        RuleFor(i => i.Website).MaximumLength(MaxWebsiteLength).OverridePropertyName("website");
        RuleFor(i => i.FormerNames!.Count).LessThanOrEqualTo(PartnerErrors.MaxFormerNames).When(i => i.FormerNames is not null).OverridePropertyName("formerNames");
        RuleForEach(i => i.FormerNames).NotNull().WithMessage("A former name is an object with at least a name.").When(i => i.FormerNames is not null).OverridePropertyName("formerNames");
        RuleForEach(i => i.FormerNames).ChildRules(f =>
        {
            f.RuleFor(x => x.Name).NotNull().SetValidator(new BilingualTextValidator()!);
        }).When(i => i.FormerNames is not null && i.FormerNames.All(f => f is not null)).OverridePropertyName("formerNames");
    }
}
