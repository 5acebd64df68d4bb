using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.UpsertAgreementByRef;

public sealed class UpsertAgreementByRefHandler(IAgreementRepository agreements, IPartnerRepository partners, IUnitOfWork unitOfWork, IAppDbContext db, IClock clock, ILanguageContext language)
    : ICommandHandler<UpsertAgreementByRefCommand, Upserted<AgreementDto>>
{
    private static readonly string[] LostRace = [CommonErrors.ExternalReferenceTaken.Code];

    public async ValueTask<Upserted<AgreementDto>> Handle(UpsertAgreementByRefCommand command, CancellationToken cancellationToken)
    {
        var reference = ExternalReference.Create(command.Source, command.ExternalId);
        var details = await command.Fields.ToDetailsAsync(partners, db, cancellationToken);
        var (agreement, created) = await UpsertByReference.UpsertAsync(
            agreements,
            unitOfWork,
            reference,
            command.ExpectedVersion,
            create: () => Agreement.Create(
                Guid.CreateVersion7(), details, command.Status,
                clock.TodayInJapan, clock.UtcNow),
            update: existing =>
            {
                if (!existing.Update(details, clock.UtcNow))
                {
                    return false;
                }

                existing.ExpireIfEnded(clock.TodayInJapan, clock.UtcNow);
                return true;
            },
            AgreementErrors.Deleted,
            LostRace,
            cancellationToken);
        return new(await db.ReadAgreementAsync(agreement.Id, language.Language, cancellationToken), created);
    }
}
