using FluentValidation;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using Mediator;

namespace LinkJ.Application.Partners.Commands.PatchPartner;

public sealed class PatchPartnerHandler(IAppDbContext db, IClock clock, ILanguageContext language) : ICommandHandler<PatchPartnerCommand, PartnerDto>
{
    private static readonly PartnerInputValidator Validator = new();

    public async ValueTask<PartnerDto> Handle(PatchPartnerCommand command, CancellationToken cancellationToken)
    {
        var partner = await db.LoadForChangeAsync(command.IdOrSlug, command.ExpectedVersion, cancellationToken);
        var input = MergePatch.Apply(partner.ToInput(), command.Patch);
        await Validator.ValidateAndThrowAsync(input, cancellationToken);
        if (partner.Update(input.ToDetails(), clock.UtcNow))
        {
            await db.SaveChangeAsync(partner, cancellationToken);
        }

        return partner.ToDto(language.Language);
    }
}
