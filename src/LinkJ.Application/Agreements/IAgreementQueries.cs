using LinkJ.Application.Common.Paging;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Agreements;

/// <summary>
/// The agreement reads, answered by the database in one round trip each, straight into the wire form (ADR 0031). The
/// use cases (<c>Agreements/Queries</c>) validate and interpret the request; the implementation owns the SQL.
/// </summary>
public interface IAgreementQueries
{
    /// <summary>One live agreement as the API shows it, with display texts in <paramref name="language"/>; null when there is none.</summary>
    Task<AgreementDto?> FindAsync(Guid id, Language language, CancellationToken cancellationToken);

    /// <summary>One page of the live agreements that pass <paramref name="criteria"/>.</summary>
    Task<Slice<AgreementDto>> ListAsync(AgreementCriteria criteria, Language language, CancellationToken cancellationToken);
}

/// <summary>What a page of agreements is made of, parsed and checked by the use case; a null filter is left out.</summary>
public sealed record AgreementCriteria
{
    public Guid? PartnerId { get; init; }

    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public string? Country { get; init; }

    /// <summary>The partner kind's wire name.</summary>
    public string? PartnerKind { get; init; }

    /// <summary>The status's wire name.</summary>
    public string? Status { get; init; }

    public string? Scope { get; init; }

    public DateOnly? SignedFrom { get; init; }

    public DateOnly? SignedTo { get; init; }

    /// <summary>Only agreements in force (<see cref="Domain.Agreements.Expiry.IsInForce"/>) whose last day in force falls
    /// between these two days, both included (<c>expiringWithin</c>, the calendar).</summary>
    public (DateOnly First, DateOnly Last)? Ending { get; init; }

    /// <summary>The search text, normalised as the stored search texts are (<see cref="Common.Search.Normalize"/>).</summary>
    public string? Search { get; init; }

    /// <summary>One of <see cref="Queries.ListAgreements.ListAgreementsQuery.Sorts"/>.</summary>
    public required string Sort { get; init; }

    /// <summary>Start after this row (the previous page's last), or at the beginning when null.</summary>
    public PageKey? After { get; init; }

    /// <summary>The page size.</summary>
    public required int Limit { get; init; }

    /// <summary>True for the sorts by the partner's name, false for those by signing date.</summary>
    public bool ByName => Sort is "name" or "-name";

    /// <summary>True for the descending sorts.</summary>
    public bool Descending => Sort.StartsWith('-');
}
