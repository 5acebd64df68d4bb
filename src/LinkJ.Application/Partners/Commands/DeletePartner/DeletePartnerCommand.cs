using LinkJ.Application.Common;
using Mediator;

namespace LinkJ.Application.Partners.Commands.DeletePartner;

/// <summary>Deletes a partner that has no agreements left: it becomes a tombstone in the change feed and its history.</summary>
/// <param name="Partner">The partner, as the path names it (parsed at the edge: <see cref="PartnerRef.Parse"/>).</param>
/// <param name="ExpectedVersion">The version the client read (its If-Match).</param>
public sealed record DeletePartnerCommand(PartnerRef Partner, VersionCondition ExpectedVersion) : ICommand;
