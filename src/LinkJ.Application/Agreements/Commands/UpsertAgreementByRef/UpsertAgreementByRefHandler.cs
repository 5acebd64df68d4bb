using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Agreements.Commands.UpsertAgreementByRef;

public sealed class UpsertAgreementByRefHandler(IAppDbContext db, IClock clock, ILanguageContext language) : ICommandHandler<UpsertAgreementByRefCommand, Upserted<AgreementDto>>
{
    public async ValueTask<Upserted<AgreementDto>> Handle(UpsertAgreementByRefCommand command, CancellationToken cancellationToken)
    {
        var reference = ExternalReference.Create(command.Source, command.ExternalId);
        var details = await command.Input.ToDetailsAsync(db, cancellationToken);

        var existing = await FindAsync(reference, cancellationToken);
        if (existing is null)
        {
            // If-Match names a version of a record we do not have: the condition is false (412), not a licence to create.
            Guard(command.ExpectedVersion is not null, CommonErrors.NothingToMatch);
            var status = WireEnum.TryParse<AgreementStatus>(command.Input.Status, out var wanted) ? wanted : AgreementStatus.Active;
            var agreement = Agreement.Create(Guid.CreateVersion7(), details, status, clock.TodayInJapan, clock.UtcNow);
            agreement.LinkExternalReference(reference);
            db.Agreements.Add(agreement);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new(await db.ReadAgreementAsync(agreement.Id, language.Language, cancellationToken), Created: true);
            }
            catch (DomainException exception) when (exception.Error == CommonErrors.ExternalReferenceTaken)
            {
                // A concurrent retry created it first: from here on this call is an update of that agreement.
                db.Agreements.Remove(agreement);
                existing = await FindAsync(reference, cancellationToken);
                if (existing is null)
                {
                    throw;
                }
            }
        }

        Guard(existing.IsDeleted, AgreementErrors.Deleted);
        Writes.EnsureVersion(existing, command.ExpectedVersion);
        if (existing.Update(details, clock.UtcNow))
        {
            Guard(command.ExpectedVersion is null, CommonErrors.PreconditionRequired);
            existing.ExpireIfEnded(clock.TodayInJapan, clock.UtcNow);
            await db.SaveChangeAsync(existing, cancellationToken);
        }

        return new(await db.ReadAgreementAsync(existing.Id, language.Language, cancellationToken), Created: false);
    }

    private Task<Agreement?> FindAsync(ExternalReference reference, CancellationToken cancellationToken) =>
        db.Agreements.FirstOrDefaultAsync(a => a.ExternalRef!.Source == reference.Source && a.ExternalRef.Id == reference.Id, cancellationToken);

    private static void Guard(bool failed, Error error)
    {
        if (failed)
        {
            throw new DomainException(error);
        }
    }
}
