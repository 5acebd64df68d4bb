using LinkJ.Application.Abstractions;
using Mediator;

namespace LinkJ.Application.Partners.Commands.ReplacePartner;

public sealed class ReplacePartnerHandler(IAppDbContext db, IClock clock, ILanguageContext language) : ICommandHandler<ReplacePartnerCommand, PartnerDto>
{
    public async ValueTask<PartnerDto> Handle(ReplacePartnerCommand command, CancellationToken cancellationToken)
    {
        var partner = await db.LoadForChangeAsync(command.IdOrSlug, command.ExpectedVersion, cancellationToken);
        if (partner.Update(command.Input.ToDetails(), clock.UtcNow))
        {
            await db.SaveChangeAsync(partner, cancellationToken);
        }

        return partner.ToDto(language.Language);
    }
}
