using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Partners.Commands.UpsertPartnerByRef;

public sealed class UpsertPartnerByRefHandler(IAppDbContext db, IClock clock, ILanguageContext language) : ICommandHandler<UpsertPartnerByRefCommand, Upserted<PartnerDto>>
{
    public async ValueTask<Upserted<PartnerDto>> Handle(UpsertPartnerByRefCommand command, CancellationToken cancellationToken)
    {
        var reference = ExternalReference.Create(command.Source, command.ExternalId);
        var details = command.Input.ToDetails();

        var existing = await FindAsync(reference, cancellationToken);
        if (existing is null)
        {
            // If-Match names a version of a record we do not have: the condition is false (412), not a licence to create.
            if (command.ExpectedVersion is not null)
            {
                throw new DomainException(CommonErrors.NothingToMatch);
            }

            var partner = Partner.Create(Guid.CreateVersion7(), details, clock.UtcNow);
            partner.LinkExternalReference(reference);
            db.Partners.Add(partner);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new(partner.ToDto(language.Language), Created: true);
            }
            catch (DomainException exception) when (exception.Error.Code == CommonErrors.ExternalReferenceTaken.Code
                                                     || exception.Error.Code == PartnerErrors.SlugTaken.Code)
            {
                // A concurrent retry created it first (it also took the slug, which the database may check first):
                // from here on this call is an update of that partner. A slug taken by another partner stays a 409.
                db.Partners.Remove(partner);
                existing = await FindAsync(reference, cancellationToken);
                if (existing is null)
                {
                    throw;
                }
            }
        }

        if (existing.IsDeleted)
        {
            throw new DomainException(PartnerErrors.Deleted);
        }

        Writes.EnsureVersion(existing, command.ExpectedVersion);
        if (existing.Update(details, clock.UtcNow))
        {
            if (command.ExpectedVersion is null)
            {
                throw new DomainException(CommonErrors.PreconditionRequired);
            }

            await db.SaveChangeAsync(existing, cancellationToken);
        }

        return new(existing.ToDto(language.Language), Created: false);
    }

    private Task<Partner?> FindAsync(ExternalReference reference, CancellationToken cancellationToken) =>
        db.Partners.FirstOrDefaultAsync(p => p.ExternalRef!.Source == reference.Source && p.ExternalRef.Id == reference.Id, cancellationToken);
}
