using LinkJ.Application.Common;
using System.Text.Json.Nodes;
using Mediator;

namespace LinkJ.Application.Partners.Commands.PatchPartner;

/// <summary>Changes some of a partner's details with a JSON Merge Patch (RFC 7396), if it is still at <paramref name="ExpectedVersion"/>.</summary>
/// <param name="Partner">The partner, as the path names it (parsed at the edge: <see cref="PartnerRef.Parse"/>).</param>
/// <param name="ExpectedVersion">The version the client read (its If-Match).</param>
/// <param name="Patch">The merge patch: members to set, null to remove.</param>
public sealed record PatchPartnerCommand(PartnerRef Partner, VersionCondition ExpectedVersion, JsonObject Patch) : ICommand<PartnerDto>;
