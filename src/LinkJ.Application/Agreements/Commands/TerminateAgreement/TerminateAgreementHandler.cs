using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.TerminateAgreement;

public sealed class TerminateAgreementHandler(IAgreementRepository agreements, IUnitOfWork unitOfWork, IAppDbContext db, IClock clock, ILanguageContext language)
    : ICommandHandler<TerminateAgreementCommand, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(TerminateAgreementCommand command, CancellationToken cancellationToken)
    {
        var agreement = await agreements.FindLiveAsync(command.Id, cancellationToken).ForChangeAsync(command.ExpectedVersion, AgreementErrors.NotFound);
        agreement.Terminate(command.On, command.Reason, clock.UtcNow);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return await db.ReadAgreementAsync(agreement.Id, language.Language, cancellationToken);
    }
}
