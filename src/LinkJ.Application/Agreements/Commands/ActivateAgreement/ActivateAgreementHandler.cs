using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.ActivateAgreement;

public sealed class ActivateAgreementHandler(IAgreementRepository agreements, IUnitOfWork unitOfWork, IAppDbContext db, IClock clock, ILanguageContext language)
    : ICommandHandler<ActivateAgreementCommand, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(ActivateAgreementCommand command, CancellationToken cancellationToken)
    {
        var agreement = await agreements.FindLiveAsync(command.Id, cancellationToken).ForChangeAsync(command.ExpectedVersion, AgreementErrors.NotFound);
        agreement.Activate(clock.TodayInJapan, clock.UtcNow);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return await db.ReadAgreementAsync(agreement.Id, language.Language, cancellationToken);
    }
}
