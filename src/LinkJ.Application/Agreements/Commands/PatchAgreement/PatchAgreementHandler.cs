using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.PatchAgreement;

public sealed class PatchAgreementHandler(IAgreementRepository agreements, IPartnerRepository partners, IUnitOfWork unitOfWork, IAppDbContext db, IClock clock, ILanguageContext language)
    : ICommandHandler<PatchAgreementCommand, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(PatchAgreementCommand command, CancellationToken cancellationToken)
    {
        var agreement = await agreements.FindLiveAsync(command.Id, cancellationToken).ForChangeAsync(command.ExpectedVersion, AgreementErrors.NotFound);
        var fields = AgreementFields.Parse(MergePatch.Apply(agreement.ToInput(), command.Patch));
        if (agreement.Update(await fields.ToDetailsAsync(partners, db, cancellationToken), clock.UtcNow))
        {
            agreement.ExpireIfEnded(clock.TodayInJapan, clock.UtcNow);
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        return await db.ReadAgreementAsync(agreement.Id, language.Language, cancellationToken);
    }
}
