using LinkJ.Domain.Common;

namespace LinkJ.Domain.Partners;

/// <summary>Everything that describes a partner, as one value: what is created, replaced or compared.</summary>
public sealed record PartnerDetails(
    Slug Slug,
    BilingualText Name,
    string? ShortName,
    PartnerKind Kind,
    CountryCode Country,
    BilingualText? Region,
    Uri? Website,
    IReadOnlyList<FormerName> FormerNames)
{
    public bool Equals(PartnerDetails? other) =>
        other is not null
        && Slug == other.Slug && Name == other.Name && ShortName == other.ShortName && Kind == other.Kind
        && Country == other.Country && Region == other.Region && string.Equals(Website?.AbsoluteUri, other.Website?.AbsoluteUri, StringComparison.Ordinal)
        && FormerNames.SequenceEqual(other.FormerNames);

    public override int GetHashCode() => HashCode.Combine(Slug, Name, Kind, Country);
}
