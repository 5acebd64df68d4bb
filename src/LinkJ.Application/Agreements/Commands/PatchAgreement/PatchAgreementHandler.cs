using FluentValidation;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.PatchAgreement;

public sealed class PatchAgreementHandler(IAppDbContext db, IClock clock, ILanguageContext language) : ICommandHandler<PatchAgreementCommand, AgreementDto>
{
    private static readonly AgreementInputValidator Validator = new();

    public async ValueTask<AgreementDto> Handle(PatchAgreementCommand command, CancellationToken cancellationToken)
    {
        var agreement = await db.LoadForChangeAsync(command.Id, command.ExpectedVersion, cancellationToken);
        var input = MergePatch.Apply(agreement.ToInput(), command.Patch);
        await Validator.ValidateAndThrowAsync(input, cancellationToken);
        if (agreement.Update(await input.ToDetailsAsync(db, cancellationToken), clock.UtcNow))
        {
            agreement.ExpireIfEnded(clock.TodayInJapan, clock.UtcNow);
            await db.SaveChangeAsync(agreement, cancellationToken);
        }

        return await db.ReadAgreementAsync(agreement.Id, language.Language, cancellationToken);
    }
}
