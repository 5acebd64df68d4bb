using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;

namespace LinkJ.Application.Partners.Commands.UpsertPartnerByRef;

public sealed class UpsertPartnerByRefHandler(IPartnerRepository partners, IUnitOfWork unitOfWork, IClock clock, ILanguageContext language)
    : ICommandHandler<UpsertPartnerByRefCommand, Upserted<PartnerDto>>
{
    // A concurrent first call also took the slug, which the database may check before the reference.
    private static readonly string[] LostRace = [CommonErrors.ExternalReferenceTaken.Code, PartnerErrors.SlugTaken.Code];

    public async ValueTask<Upserted<PartnerDto>> Handle(UpsertPartnerByRefCommand command, CancellationToken cancellationToken)
    {
        var reference = ExternalReference.Create(command.Source, command.ExternalId);
        var details = command.Fields.ToDetails();
        var (partner, created) = await UpsertByReference.UpsertAsync(
            partners,
            unitOfWork,
            reference,
            command.ExpectedVersion,
            create: () => Partner.Create(Guid.CreateVersion7(), details, clock.UtcNow),
            update: existing => existing.Update(details, clock.UtcNow),
            PartnerErrors.Deleted,
            LostRace,
            cancellationToken);
        return new(partner.ToDto(language.Language), created);
    }
}
