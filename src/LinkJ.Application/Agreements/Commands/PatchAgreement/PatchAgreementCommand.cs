using LinkJ.Application.Common;
using System.Text.Json.Nodes;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.PatchAgreement;

/// <summary>Changes some of an agreement's details with a JSON Merge Patch (RFC 7396), if it is still at <paramref name="ExpectedVersion"/>.</summary>
/// <param name="Id">The agreement.</param>
/// <param name="ExpectedVersion">The version the client read (its If-Match).</param>
/// <param name="Patch">The merge patch: members to set, null to remove.</param>
public sealed record PatchAgreementCommand(Guid Id, VersionCondition ExpectedVersion, JsonObject Patch) : ICommand<AgreementDto>;
