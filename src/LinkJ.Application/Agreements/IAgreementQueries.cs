using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

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

/// <summary>An agreement list's order (wire names: <see cref="Queries.ListAgreements.ListAgreementsQuery.Sorts"/>).</summary>
public enum AgreementSort
{
    /// <summary>signedOn: in signing order (the default).</summary>
    SignedOn,

    /// <summary>-signedOn: newest first.</summary>
    SignedOnDescending,

    /// <summary>name: by the partner's name in the negotiated language.</summary>
    Name,

    /// <summary>-name.</summary>
    NameDescending,
}

/// <summary>What a page of agreements is made of, as domain values (parsed at the edge, ADR 0050); a null filter is left out.</summary>
public sealed record AgreementCriteria
{
    public Guid? PartnerId { get; init; }

    public CountryCode? Country { get; init; }

    public PartnerKind? PartnerKind { get; init; }

    public AgreementStatus? Status { get; init; }

    /// <summary>A cooperation scope code the agreement must include.</summary>
    public Slug? Scope { get; init; }

    public DateOnly? SignedFrom { get; init; }

    public DateOnly? SignedTo { get; init; }

    /// <summary>Only agreements in force (<see cref="Domain.Agreements.Expiry.IsInForce"/>) whose last day in force falls
    /// between these two days, both included (<c>expiringWithin</c>, the calendar).</summary>
    public (DateOnly First, DateOnly Last)? Ending { get; init; }

    /// <summary>The search text, normalised at the edge as the stored search texts are (<see cref="SearchTerm"/>).</summary>
    public SearchTerm? Search { get; init; }

    public required AgreementSort Sort { get; init; }

    /// <summary>Start after this row (the previous page's last: its day for the sorts by date, its name for those by name), or at the beginning when null.</summary>
    public PageKey? After { get; init; }

    /// <summary>The page size.</summary>
    public required int Limit { get; init; }

    /// <summary>True for the sorts by the partner's name, false for those by signing date.</summary>
    public bool ByName => Sort is AgreementSort.Name or AgreementSort.NameDescending;

    /// <summary>True for the descending sorts.</summary>
    public bool Descending => Sort is AgreementSort.SignedOnDescending or AgreementSort.NameDescending;
}
