using LinkJ.Application.Common;
using System.Text.Json.Nodes;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.RenewAgreement;

/// <summary>
/// Renews or supersedes an agreement: a new, active agreement with the same details changed by <paramref name="Changes"/>
/// (a merge patch: at least a new signing date), linked to the old one, which is terminated from the new one's start if
/// it was still active.
/// </summary>
/// <param name="Id">The agreement to renew.</param>
/// <param name="ExpectedVersion">The version the client read (its If-Match).</param>
/// <param name="Changes">What differs in the new agreement, as a merge patch of its fields.</param>
public sealed record RenewAgreementCommand(Guid Id, VersionCondition ExpectedVersion, JsonObject Changes) : ICommand<AgreementDto>;
