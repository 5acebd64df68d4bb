using LinkJ.Application.Abstractions;
using LinkJ.Domain.Agreements;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Agreements.Commands.ExpireAgreements;

public sealed class ExpireAgreementsHandler(IAppDbContext db, IClock clock) : ICommandHandler<ExpireAgreementsCommand, int>
{
    private const int BatchSize = 500;

    public async ValueTask<int> Handle(ExpireAgreementsCommand command, CancellationToken cancellationToken)
    {
        var today = clock.TodayInJapan;
        var due = await db.Agreements
            .Where(a => a.DeletedAt == null && a.Status == AgreementStatus.Active && a.Validity.Until < today)
            .OrderBy(a => a.Validity.Until)
            .ThenBy(a => a.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        // The rule of when an agreement has ended lives in the domain; the query above only narrows the candidates.
        var expired = due.Count(agreement => agreement.ExpireIfEnded(today, clock.UtcNow));
        if (expired > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return expired;
    }
}
