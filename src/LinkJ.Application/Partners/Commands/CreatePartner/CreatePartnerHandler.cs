using LinkJ.Application.Abstractions;
using LinkJ.Domain.Partners;
using Mediator;

namespace LinkJ.Application.Partners.Commands.CreatePartner;

public sealed class CreatePartnerHandler(IPartnerRepository partners, IUnitOfWork unitOfWork, IClock clock, ILanguageContext language) : ICommandHandler<CreatePartnerCommand, PartnerDto>
{
    public async ValueTask<PartnerDto> Handle(CreatePartnerCommand command, CancellationToken cancellationToken)
    {
        // A slug already in use is reported by the database's unique index (partner.slug-taken), race-free.
        var partner = Partner.Create(Guid.CreateVersion7(), command.Fields.ToDetails(), clock.UtcNow);
        partners.Add(partner);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return partner.ToDto(language.Language);
    }
}
