using Mediator;

namespace LinkJ.Application.Partners.Queries.GetPartner;

/// <summary>One partner, by its id or its slug.</summary>
/// <param name="Partner">The partner's id or slug, parsed at the edge (<see cref="PartnerRef.Parse"/>).</param>
public sealed record GetPartnerQuery(PartnerRef Partner) : IQuery<PartnerDto>;
