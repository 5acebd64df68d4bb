using LinkJ.Application.Abstractions;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.DeleteAgreement;

public sealed class DeleteAgreementHandler(IAppDbContext db, IClock clock) : ICommandHandler<DeleteAgreementCommand>
{
    public async ValueTask<Unit> Handle(DeleteAgreementCommand command, CancellationToken cancellationToken)
    {
        var agreement = await db.LoadForChangeAsync(command.Id, command.ExpectedVersion, cancellationToken);
        agreement.Delete(clock.UtcNow);
        await db.SaveChangeAsync(agreement, cancellationToken);
        return Unit.Value;
    }
}
