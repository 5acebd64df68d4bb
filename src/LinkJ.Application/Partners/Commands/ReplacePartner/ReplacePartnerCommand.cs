using LinkJ.Application.Common;
using Mediator;

namespace LinkJ.Application.Partners.Commands.ReplacePartner;

/// <summary>Replaces a partner's details, if it is still at <paramref name="ExpectedVersion"/>.</summary>
/// <param name="IdOrSlug">The partner.</param>
/// <param name="ExpectedVersion">The version the client read (its If-Match).</param>
/// <param name="Fields">The new details, parsed (<see cref="PartnerFields.Parse"/>).</param>
public sealed record ReplacePartnerCommand(string IdOrSlug, VersionCondition ExpectedVersion, PartnerFields Fields) : ICommand<PartnerDto>;
