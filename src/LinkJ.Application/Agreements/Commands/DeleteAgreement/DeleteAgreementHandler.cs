using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.DeleteAgreement;

public sealed class DeleteAgreementHandler(IAgreementRepository agreements, IUnitOfWork unitOfWork, IClock clock) : ICommandHandler<DeleteAgreementCommand>
{
    public async ValueTask<Unit> Handle(DeleteAgreementCommand command, CancellationToken cancellationToken)
    {
        var agreement = await agreements.FindLiveAsync(command.Id, cancellationToken).ForChangeAsync(command.ExpectedVersion, AgreementErrors.NotFound);
        agreement.Delete(clock.UtcNow);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
