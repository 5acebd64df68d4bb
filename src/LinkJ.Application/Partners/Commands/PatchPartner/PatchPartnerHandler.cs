using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Partners;
using Mediator;

namespace LinkJ.Application.Partners.Commands.PatchPartner;

public sealed class PatchPartnerHandler(IPartnerRepository partners, IUnitOfWork unitOfWork, IClock clock, ILanguageContext language) : ICommandHandler<PatchPartnerCommand, PartnerDto>
{
    public async ValueTask<PartnerDto> Handle(PatchPartnerCommand command, CancellationToken cancellationToken)
    {
        var partner = await partners.FindLiveAsync(command.Partner, cancellationToken).ForChangeAsync(command.ExpectedVersion, PartnerErrors.NotFound);
        var fields = PartnerFields.Parse(MergePatch.Apply(partner.ToInput(), command.Patch));
        if (partner.Update(fields.ToDetails(), clock.UtcNow))
        {
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        return partner.ToDto(language.Language);
    }
}
