using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;

namespace LinkJ.Application.Partners.Commands.DeletePartner;

public sealed class DeletePartnerHandler(IPartnerRepository partners, IUnitOfWork unitOfWork, IClock clock) : ICommandHandler<DeletePartnerCommand>
{
    public async ValueTask<Unit> Handle(DeletePartnerCommand command, CancellationToken cancellationToken)
    {
        var partner = await partners.FindLiveAsync(command.Partner, cancellationToken).ForChangeAsync(command.ExpectedVersion, PartnerErrors.NotFound);
        if (await partners.HasLiveAgreementsAsync(partner.Id, cancellationToken))
        {
            throw new DomainException(PartnerErrors.HasAgreements);
        }

        partner.Delete(clock.UtcNow);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
