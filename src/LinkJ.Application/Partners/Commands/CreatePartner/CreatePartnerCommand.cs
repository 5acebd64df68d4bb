using Mediator;

namespace LinkJ.Application.Partners.Commands.CreatePartner;

/// <summary>Records a new partner organisation.</summary>
/// <param name="Input">The partner.</param>
public sealed record CreatePartnerCommand(PartnerInput Input) : ICommand<PartnerDto>;
