using LinkJ.Application.Common.Dtos;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Riok.Mapperly.Abstractions;

namespace LinkJ.Application.Partners;

[Mapper]
[UseStaticMapper(typeof(CommonMapper))]
public static partial class PartnerMapper
{
    /// <summary>The partner as the API shows it, with display texts in <paramref name="language"/>.</summary>
    public static PartnerDto ToDto(this Partner partner, Language language) =>
        partner.ToDto(new LocalizedPartnerDto(
            language.Code(), partner.Name.In(language), partner.Kind.Label(language), partner.Region?.In(language)));

    public static PartnerSummaryDto ToSummary(this Partner partner, Language language) =>
        partner.ToSummary(partner.Name.In(language));

    [MapperIgnoreSource(nameof(Partner.DeletedAt))]
    [MapperIgnoreSource(nameof(Partner.IsDeleted))]
    private static partial PartnerDto ToDto(this Partner partner, LocalizedPartnerDto localized);

    [MapperIgnoreSource(nameof(Partner.DeletedAt))]
    [MapperIgnoreSource(nameof(Partner.IsDeleted))]
    [MapperIgnoreSource(nameof(Partner.IsOverseas))]
    [MapperIgnoreSource(nameof(Partner.ExternalRef))]
    [MapperIgnoreSource(nameof(Partner.FormerNames))]
    [MapperIgnoreSource(nameof(Partner.Region))]
    [MapperIgnoreSource(nameof(Partner.Website))]
    [MapperIgnoreSource(nameof(Partner.Version))]
    [MapperIgnoreSource(nameof(Partner.CreatedAt))]
    [MapperIgnoreSource(nameof(Partner.UpdatedAt))]
    private static partial PartnerSummaryDto ToSummary(this Partner partner, string displayName);

    private static partial FormerNameDto ToDto(FormerName formerName);

    private static string? ToWire(PartialDate? date) => date?.ToString();
}
