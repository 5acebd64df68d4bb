using LinkJ.Application.Common;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.ReplaceAgreement;

/// <summary>Replaces an agreement's details, if it is still at <paramref name="ExpectedVersion"/>.</summary>
/// <param name="Id">The agreement.</param>
/// <param name="ExpectedVersion">The version the client read (its If-Match).</param>
/// <param name="Fields">The new details, parsed (<see cref="AgreementFields.Parse"/>).</param>
public sealed record ReplaceAgreementCommand(Guid Id, VersionCondition ExpectedVersion, AgreementFields Fields) : ICommand<AgreementDto>;
