using LinkJ.Domain.Agreements;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.CreateAgreement;

/// <summary>Records a new agreement, as a draft or (by default) active.</summary>
/// <param name="Fields">The agreement, parsed (<see cref="AgreementFields.ParseNew"/>).</param>
/// <param name="Status">Draft or active.</param>
public sealed record CreateAgreementCommand(AgreementFields Fields, AgreementStatus Status) : ICommand<AgreementDto>;
