using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.ReplaceAgreement;

public sealed class ReplaceAgreementHandler(IAgreementRepository agreements, IPartnerRepository partners, IUnitOfWork unitOfWork, IAppDbContext db, IClock clock, ILanguageContext language)
    : ICommandHandler<ReplaceAgreementCommand, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(ReplaceAgreementCommand command, CancellationToken cancellationToken)
    {
        var agreement = await agreements.FindLiveAsync(command.Id, cancellationToken).ForChangeAsync(command.ExpectedVersion, AgreementErrors.NotFound);
        var details = await command.Fields.ToDetailsAsync(partners, db, cancellationToken);
        if (agreement.Update(details, clock.UtcNow))
        {
            agreement.ExpireIfEnded(clock.TodayInJapan, clock.UtcNow);
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        return await db.ReadAgreementAsync(agreement.Id, language.Language, cancellationToken);
    }
}
