using LinkJ.Domain.Common;

namespace LinkJ.Domain.Partners;

/// <summary>An organisation LINK-J has a partnership with: a university, cluster, foundation, company or local government.</summary>
public sealed class Partner : AggregateRoot
{
    private List<FormerName> _formerNames = [];

    private Partner()
    {
    }

    private Partner(Guid id, DateTimeOffset now)
        : base(id, now)
    {
    }

    /// <summary>The URL identifier, e.g. <c>osaka-prefecture</c>.</summary>
    public Slug Slug { get; private set; } = null!;

    public BilingualText Name { get; private set; } = null!;

    /// <summary>The usual abbreviation (UCSD, KRP, OUI), when there is one.</summary>
    public string? ShortName { get; private set; }

    public IReadOnlyList<FormerName> FormerNames => _formerNames;

    public PartnerKind Kind { get; private set; }

    public CountryCode Country { get; private set; } = null!;

    /// <summary>A region within the country, e.g. 関西圏 (Kansai).</summary>
    public BilingualText? Region { get; private set; }

    public Uri? Website { get; private set; }

    public bool IsOverseas => !Country.IsJapan;

    public static Partner Create(Guid id, PartnerDetails details, DateTimeOffset now)
    {
        var partner = new Partner(id, now);
        partner.Apply(details);
        return partner;
    }

    /// <summary>Replaces the partner's details with <paramref name="details"/>; no change, no new version.</summary>
    public bool Update(PartnerDetails details, DateTimeOffset now)
    {
        EnsureNotDeleted();
        details = Normalize(details);
        if (Describe() == details)
        {
            return false;
        }

        Apply(details);
        Touch(now);
        return true;
    }

    /// <summary>Gives the partner a new name and keeps the current one as a former name.</summary>
    public void Rename(BilingualText newName, PartialDate? since, DateTimeOffset now)
    {
        EnsureNotDeleted();
        if (newName == Name)
        {
            return;
        }

        var formerNames = _formerNames.Append(new FormerName(Name, since)).ToList();
        Update(Describe() with { Name = newName, FormerNames = formerNames }, now);
    }

    public void Delete(DateTimeOffset now)
    {
        EnsureNotDeleted();
        MarkDeleted(now);
    }

    /// <summary>The partner's current details, in the shape <see cref="Update"/> takes.</summary>
    public PartnerDetails Describe() =>
        new(Slug, Name, ShortName, Kind, Country, Region, Website, _formerNames);

    /// <summary>Checks every rule and trims texts, before anything is changed: a failed update leaves the partner as it was.</summary>
    private static PartnerDetails Normalize(PartnerDetails details)
    {
        Guard.That(Enum.IsDefined(details.Kind), PartnerErrors.UnknownKind);
        Guard.That(details.FormerNames.Count <= PartnerErrors.MaxFormerNames, PartnerErrors.TooManyFormerNames);
        Guard.That(details.Website is null || (details.Website.IsAbsoluteUri && details.Website.Scheme is "http" or "https"), CommonErrors.InvalidUrl);
        return details with { ShortName = Guard.OptionalText(details.ShortName, PartnerErrors.MaxShortNameLength) };
    }

    private void Apply(PartnerDetails details)
    {
        details = Normalize(details);

        Slug = details.Slug;
        Name = details.Name;
        ShortName = details.ShortName;
        Kind = details.Kind;
        Country = details.Country;
        Region = details.Region;
        Website = details.Website;
        _formerNames = [.. details.FormerNames];
    }

    private void EnsureNotDeleted() => Guard.That(!IsDeleted, PartnerErrors.Deleted);
}
