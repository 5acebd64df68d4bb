using LinkJ.Application.Abstractions;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Partners.Commands.DeletePartner;

public sealed class DeletePartnerHandler(IAppDbContext db, IClock clock) : ICommandHandler<DeletePartnerCommand>
{
    public async ValueTask<Unit> Handle(DeletePartnerCommand command, CancellationToken cancellationToken)
    {
        var partner = await db.LoadForChangeAsync(command.IdOrSlug, command.ExpectedVersion, cancellationToken);
        if (await db.Agreements.AnyAsync(a => a.PartnerId == partner.Id && a.DeletedAt == null, cancellationToken))
        {
            throw new DomainException(PartnerErrors.HasAgreements);
        }

        partner.Delete(clock.UtcNow);
        await db.SaveChangeAsync(partner, cancellationToken);
        return Unit.Value;
    }
}
