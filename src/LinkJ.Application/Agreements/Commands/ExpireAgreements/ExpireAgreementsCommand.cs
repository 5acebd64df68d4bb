using Mediator;

namespace LinkJ.Application.Agreements.Commands.ExpireAgreements;

/// <summary>Moves every active agreement whose validity has ended to expired; returns how many. Run by the service itself.</summary>
public sealed record ExpireAgreementsCommand : ICommand<int>;
