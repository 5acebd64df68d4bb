using LinkJ.Application.Partners;
using Mediator;

namespace LinkJ.Application.Changes.Queries.GetHistory;

/// <summary>Who changed what and when, for one partner or agreement, oldest first; the resource as parsed at the edge (ADR 0050).</summary>
/// <param name="ResourceType">partner or agreement.</param>
/// <param name="OfPartner">The partner, for a partner's history.</param>
/// <param name="OfAgreement">The agreement, for an agreement's history.</param>
public sealed record GetHistoryQuery(string ResourceType, PartnerRef? OfPartner, Guid? OfAgreement) : IQuery<IReadOnlyList<HistoryEntryDto>>
{
    public const string Partner = "partner";
    public const string Agreement = "agreement";

    public static GetHistoryQuery ForPartner(PartnerRef partner) => new(Partner, partner, null);

    public static GetHistoryQuery ForAgreement(Guid id) => new(Agreement, null, id);
}
