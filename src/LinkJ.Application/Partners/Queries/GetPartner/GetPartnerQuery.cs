using Mediator;

namespace LinkJ.Application.Partners.Queries.GetPartner;

/// <summary>One partner, by its id or its slug.</summary>
/// <param name="IdOrSlug">A partner id (GUID) or slug (e.g. osaka-prefecture).</param>
public sealed record GetPartnerQuery(string IdOrSlug) : IQuery<PartnerDto>;
