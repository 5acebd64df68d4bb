using LinkJ.Application.Abstractions;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.ExpireAgreements;

public sealed class ExpireAgreementsHandler(IAgreementRepository agreements, IUnitOfWork unitOfWork, IClock clock) : ICommandHandler<ExpireAgreementsCommand, int>
{
    private const int BatchSize = 500;

    public async ValueTask<int> Handle(ExpireAgreementsCommand command, CancellationToken cancellationToken)
    {
        var today = clock.TodayInJapan;
        var due = await agreements.ListEndedActiveAsync(today, BatchSize, cancellationToken);

        // The rule of when an agreement has ended lives in the domain; the query only narrows the candidates.
        var expired = due.Count(agreement => agreement.ExpireIfEnded(today, clock.UtcNow));
        if (expired > 0)
        {
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }

        return expired;
    }
}
