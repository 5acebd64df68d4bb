using Mediator;

namespace LinkJ.Application.Partners.Commands.CreatePartner;

/// <summary>Records a new partner organisation.</summary>
/// <param name="Fields">The partner, parsed (<see cref="PartnerFields.Parse"/>).</param>
public sealed record CreatePartnerCommand(PartnerFields Fields) : ICommand<PartnerDto>;
