using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.CreateAgreement;

public sealed class CreateAgreementHandler(IAppDbContext db, IClock clock, ILanguageContext language) : ICommandHandler<CreateAgreementCommand, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(CreateAgreementCommand command, CancellationToken cancellationToken)
    {
        var details = await command.Input.ToDetailsAsync(db, cancellationToken);
        var status = WireEnum.TryParse<AgreementStatus>(command.Status, out var wanted) ? wanted : AgreementStatus.Active;
        var agreement = Agreement.Create(Guid.CreateVersion7(), details, status, clock.TodayInJapan, clock.UtcNow);
        db.Agreements.Add(agreement);
        await db.SaveChangesAsync(cancellationToken);
        return await db.ReadAgreementAsync(agreement.Id, language.Language, cancellationToken);
    }
}
