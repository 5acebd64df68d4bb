using LinkJ.Application.Abstractions;
using LinkJ.Domain.Common;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.TerminateAgreement;

public sealed class TerminateAgreementHandler(IAppDbContext db, IClock clock, ILanguageContext language) : ICommandHandler<TerminateAgreementCommand, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(TerminateAgreementCommand command, CancellationToken cancellationToken)
    {
        var agreement = await db.LoadForChangeAsync(command.Id, command.ExpectedVersion, cancellationToken);
        agreement.Terminate(PartialDate.Parse(command.On).Date, command.Reason!, clock.UtcNow);
        await db.SaveChangeAsync(agreement, cancellationToken);
        return await db.ReadAgreementAsync(agreement.Id, language.Language, cancellationToken);
    }
}
