using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Partners;
using Mediator;

namespace LinkJ.Application.Partners.Commands.ReplacePartner;

public sealed class ReplacePartnerHandler(IPartnerRepository partners, IUnitOfWork unitOfWork, IClock clock, ILanguageContext language) : ICommandHandler<ReplacePartnerCommand, PartnerDto>
{
    public async ValueTask<PartnerDto> Handle(ReplacePartnerCommand command, CancellationToken cancellationToken)
    {
        var partner = await partners.FindLiveAsync(command.Partner, cancellationToken).ForChangeAsync(command.ExpectedVersion, PartnerErrors.NotFound);
        if (partner.Update(command.Fields.ToDetails(), clock.UtcNow))
        {
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        return partner.ToDto(language.Language);
    }
}
