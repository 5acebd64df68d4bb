using LinkJ.Application.Common;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.ActivateAgreement;

/// <summary>Draft → active.</summary>
/// <param name="Id">The agreement.</param>
/// <param name="ExpectedVersion">The version the client read (its If-Match).</param>
public sealed record ActivateAgreementCommand(Guid Id, VersionCondition ExpectedVersion) : ICommand<AgreementDto>;
