using FluentValidation;
using LinkJ.Application.Agreements;
using LinkJ.Application.Common;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Partners;

public sealed class PartnerInputValidator : AbstractValidator<PartnerInput>
{
    public const int MaxWebsiteLength = 2000;

    public PartnerInputValidator()
    {
        RuleFor(i => i.Slug).NotNull().Must(s => s is null || Slug.IsValid(s)).WithMessage(CommonErrors.InvalidSlug.Message).OverridePropertyName("slug");
        RuleFor(i => i.Name).NotNull().SetValidator(new BilingualTextValidator()!).OverridePropertyName("name");
        RuleFor(i => i.ShortName).MaximumLength(PartnerErrors.MaxShortNameLength).OverridePropertyName("shortName");
        RuleFor(i => i.Kind).NotNull().ValidEnum<PartnerInput, PartnerKind>().OverridePropertyName("kind");
        RuleFor(i => i.Country).NotNull().ValidCountry().OverridePropertyName("country");
        RuleFor(i => i.Region!).SetValidator(new BilingualTextValidator()).When(i => i.Region is not null).OverridePropertyName("region");
        RuleFor(i => i.Website)
            .MaximumLength(MaxWebsiteLength)
            .Must(w => w is null || (Uri.TryCreate(w, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            .WithMessage(CommonErrors.InvalidUrl.Message)
            .OverridePropertyName("website");
        RuleFor(i => i.FormerNames!.Count).LessThanOrEqualTo(PartnerErrors.MaxFormerNames).When(i => i.FormerNames is not null).OverridePropertyName("formerNames");
        RuleForEach(i => i.FormerNames).NotNull().WithMessage("A former name is an object with at least a name.").When(i => i.FormerNames is not null).OverridePropertyName("formerNames");
        RuleForEach(i => i.FormerNames).ChildRules(f =>
        {
            f.RuleFor(x => x.Name).NotNull().SetValidator(new BilingualTextValidator()!);
            f.RuleFor(x => x.Until).ValidPartialDate();
        }).When(i => i.FormerNames is not null && i.FormerNames.All(f => f is not null)).OverridePropertyName("formerNames");
    }
}
