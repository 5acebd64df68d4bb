using LinkJ.Application.Common.Dtos;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Riok.Mapperly.Abstractions;

namespace LinkJ.Application.Partners;

[Mapper]
[UseStaticMapper(typeof(CommonMapper))]
public static partial class PartnerMapper
{
    [MapperIgnoreSource(nameof(Partner.DeletedAt))]
    [MapperIgnoreSource(nameof(Partner.IsDeleted))]
    public static partial PartnerDto ToDto(this Partner partner);

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
    public static partial PartnerSummaryDto ToSummary(this Partner partner);

    private static partial FormerNameDto ToDto(FormerName formerName);

    private static string? ToWire(PartialDate? date) => date?.ToString();
}
