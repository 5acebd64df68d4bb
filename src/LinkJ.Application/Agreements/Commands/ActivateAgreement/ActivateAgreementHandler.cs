using LinkJ.Application.Abstractions;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.ActivateAgreement;

public sealed class ActivateAgreementHandler(IAppDbContext db, IClock clock, ILanguageContext language) : ICommandHandler<ActivateAgreementCommand, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(ActivateAgreementCommand command, CancellationToken cancellationToken)
    {
        var agreement = await db.LoadForChangeAsync(command.Id, command.ExpectedVersion, cancellationToken);
        agreement.Activate(clock.TodayInJapan, clock.UtcNow);
        await db.SaveChangeAsync(agreement, cancellationToken);
        return await db.ReadAgreementAsync(agreement.Id, language.Language, cancellationToken);
    }
}
