using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Partners;

/// <summary>The partner reads, answered by the database in one round trip each, straight into the wire form (ADR 0031).</summary>
public interface IPartnerQueries
{
    /// <summary>The live partner with this id or slug as the API shows it; null when there is none.</summary>
    Task<PartnerDto?> FindAsync(PartnerRef idOrSlug, Language language, CancellationToken cancellationToken);

    /// <summary>The id of the partner with this id or slug; null when there is none (deleted ones too unless <paramref name="liveOnly"/>).</summary>
    Task<Guid?> FindIdAsync(PartnerRef idOrSlug, bool liveOnly, CancellationToken cancellationToken);

    /// <summary>One page of the live partners that pass <paramref name="criteria"/>.</summary>
    Task<Slice<PartnerDto>> ListAsync(PartnerCriteria criteria, Language language, CancellationToken cancellationToken);
}

/// <summary>
/// A partner as a path names it, by its id or its slug, parsed once at the edge (ADR 0050). Text that is neither names
/// no partner (<see cref="None"/>): its reads find nothing, a 404, without a round trip.
/// </summary>
/// <param name="Id">The partner's id, when the text is a GUID.</param>
/// <param name="Slug">The partner's slug, when the text is one.</param>
public sealed record PartnerRef(Guid? Id, Slug? Slug)
{
    /// <summary>Names no partner.</summary>
    public bool None => Id is null && Slug is null;

    /// <summary>The partner <paramref name="idOrSlug"/> names: an id (GUID), else a slug, else none.</summary>
    public static PartnerRef Parse(string idOrSlug) =>
        Guid.TryParse(idOrSlug, out var id) ? new PartnerRef(id, null)
        : Domain.Common.Slug.IsValid(idOrSlug) ? new PartnerRef(null, Domain.Common.Slug.Create(idOrSlug))
        : new PartnerRef(null, null);
}

/// <summary>A partner list's order (wire names: <see cref="Queries.ListPartners.ListPartnersQuery.Sorts"/>).</summary>
public enum PartnerSort
{
    /// <summary>since: in the order the partnerships began (the default).</summary>
    Since,

    /// <summary>name: by the name in the negotiated language.</summary>
    Name,

    /// <summary>-name.</summary>
    NameDescending,
}

/// <summary>What a page of partners is made of, as domain values (parsed at the edge, ADR 0050); a null filter is left out.</summary>
public sealed record PartnerCriteria
{
    public CountryCode? Country { get; init; }

    public PartnerKind? Kind { get; init; }

    /// <summary>The search text, normalised at the edge as the stored search texts are (<see cref="SearchTerm"/>).</summary>
    public SearchTerm? Search { get; init; }

    public required PartnerSort Sort { get; init; }

    /// <summary>Start after this row: its sequence, and its name for the sorts by name.</summary>
    public PageKey? After { get; init; }

    public required int Limit { get; init; }
}
