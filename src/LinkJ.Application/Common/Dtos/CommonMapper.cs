using LinkJ.Domain.Common;
using Riok.Mapperly.Abstractions;

namespace LinkJ.Application.Common.Dtos;

/// <summary>Maps the shared value objects to their wire form.</summary>
[Mapper]
public static partial class CommonMapper
{
    public static partial BilingualTextDto ToDto(this BilingualText text);

    public static partial ExternalReferenceDto ToDto(this ExternalReference reference);

    public static string ToWire(this Slug slug) => slug.Value;

    public static string ToWire(this CountryCode country) => country.Value;

    public static string ToWire(this PartialDate date) => date.ToString();
}
