using LinkJ.Application.Common;
using Mediator;

namespace LinkJ.Application.Partners.Commands.ReplacePartner;

/// <summary>Replaces a partner's details, if it is still at <paramref name="ExpectedVersion"/>.</summary>
/// <param name="Partner">The partner, as the path names it (parsed at the edge: <see cref="PartnerRef.Parse"/>).</param>
/// <param name="ExpectedVersion">The version the client read (its If-Match).</param>
/// <param name="Fields">The new details, parsed (<see cref="PartnerFields.Parse"/>).</param>
public sealed record ReplacePartnerCommand(PartnerRef Partner, VersionCondition ExpectedVersion, PartnerFields Fields) : ICommand<PartnerDto>;
