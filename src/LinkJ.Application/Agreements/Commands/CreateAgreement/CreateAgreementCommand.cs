using Mediator;

namespace LinkJ.Application.Agreements.Commands.CreateAgreement;

/// <summary>Records a new agreement, as a draft or (by default) active.</summary>
/// <param name="Input">The agreement.</param>
/// <param name="Status">draft or active (default).</param>
public sealed record CreateAgreementCommand(AgreementInput Input, string? Status) : ICommand<AgreementDto>;
