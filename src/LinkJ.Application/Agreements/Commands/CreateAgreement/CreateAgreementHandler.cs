using LinkJ.Application.Abstractions;
using LinkJ.Domain.Agreements;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.CreateAgreement;

public sealed class CreateAgreementHandler(IAgreementRepository agreements, IPartnerRepository partners, IUnitOfWork unitOfWork, IAppDbContext db, IClock clock, ILanguageContext language)
    : ICommandHandler<CreateAgreementCommand, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(CreateAgreementCommand command, CancellationToken cancellationToken)
    {
        var (details, partner) = await command.Fields.ToDetailsWithPartnerAsync(partners, db, cancellationToken);
        var agreement = Agreement.Create(Guid.CreateVersion7(), details, command.Status, clock.TodayInJapan, clock.UtcNow);
        agreements.Add(agreement);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return await db.ShowInsertedAsync(agreement, partner, agreements.InsertedOrdinal(agreement), language.Language, cancellationToken);
    }
}
