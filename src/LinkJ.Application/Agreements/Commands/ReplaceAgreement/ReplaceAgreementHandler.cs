using LinkJ.Application.Abstractions;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.ReplaceAgreement;

public sealed class ReplaceAgreementHandler(IAppDbContext db, IClock clock, ILanguageContext language) : ICommandHandler<ReplaceAgreementCommand, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(ReplaceAgreementCommand command, CancellationToken cancellationToken)
    {
        var agreement = await db.LoadForChangeAsync(command.Id, command.ExpectedVersion, cancellationToken);
        var details = await command.Input.ToDetailsAsync(db, cancellationToken);
        if (agreement.Update(details, clock.UtcNow))
        {
            agreement.ExpireIfEnded(clock.TodayInJapan, clock.UtcNow);
            await db.SaveChangeAsync(agreement, cancellationToken);
        }

        return await db.ReadAgreementAsync(agreement.Id, language.Language, cancellationToken);
    }
}
