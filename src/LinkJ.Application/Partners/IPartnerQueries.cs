using LinkJ.Application.Common.Paging;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Partners;

/// <summary>The partner reads, answered by the database in one round trip each, straight into the wire form (ADR 0031).</summary>
public interface IPartnerQueries
{
    /// <summary>The live partner with this id or slug as the API shows it; null when there is none.</summary>
    Task<PartnerDto?> FindAsync(string idOrSlug, Language language, CancellationToken cancellationToken);

    /// <summary>The id of the partner with this id or slug; null when there is none (deleted ones too unless <paramref name="liveOnly"/>).</summary>
    Task<Guid?> FindIdAsync(string idOrSlug, bool liveOnly, CancellationToken cancellationToken);

    /// <summary>One page of the live partners that pass <paramref name="criteria"/>.</summary>
    Task<Slice<PartnerDto>> ListAsync(PartnerCriteria criteria, Language language, CancellationToken cancellationToken);
}

/// <summary>What a page of partners is made of, parsed and checked by the use case; a null filter is left out.</summary>
public sealed record PartnerCriteria
{
    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public string? Country { get; init; }

    /// <summary>The kind's wire name.</summary>
    public string? Kind { get; init; }

    /// <summary>The search text, normalised as the stored search texts are.</summary>
    public string? Search { get; init; }

    /// <summary>One of <see cref="Queries.ListPartners.ListPartnersQuery.Sorts"/>.</summary>
    public required string Sort { get; init; }

    public PageKey? After { get; init; }

    public required int Limit { get; init; }
}
