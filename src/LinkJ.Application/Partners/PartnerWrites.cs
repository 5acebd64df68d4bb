using LinkJ.Application.Agreements;
using LinkJ.Application.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Partners;

public static class PartnerWrites
{
    /// <summary>Turns a parsed input (<see cref="PartnerFields"/>) into the domain's <see cref="PartnerDetails"/>.</summary>
    public static PartnerDetails ToDetails(this PartnerFields input) => new(
        input.Slug,
        input.Name.ToDomain(),
        input.ShortName,
        input.Kind,
        input.Country,
        input.Region?.ToDomain(),
        input.Website,
        [.. input.FormerNames.Select(f => new FormerName(f.Name.ToDomain(), f.Until))]);

    /// <summary>The partner's details in the shape a client sends (for merge patches and upserts).</summary>
    public static PartnerInput ToInput(this Partner partner) => new()
    {
        Slug = partner.Slug.Value,
        Name = new(partner.Name.Ja, partner.Name.En),
        ShortName = partner.ShortName,
        Kind = WireEnum.ToWire(partner.Kind),
        Country = partner.Country.Value,
        Region = partner.Region is null ? null : new(partner.Region.Ja, partner.Region.En),
        Website = partner.Website?.OriginalString,
        FormerNames = [.. partner.FormerNames.Select(f => new FormerNameDto(new(f.Name.Ja, f.Name.En), f.Until?.ToString()))],
    };
}
