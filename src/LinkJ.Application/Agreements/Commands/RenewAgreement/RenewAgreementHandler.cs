using FluentValidation;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.RenewAgreement;

public sealed class RenewAgreementHandler(IAgreementRepository agreements, IPartnerRepository partners, IUnitOfWork unitOfWork, IAppDbContext db, IClock clock, ILanguageContext language)
    : ICommandHandler<RenewAgreementCommand, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(RenewAgreementCommand command, CancellationToken cancellationToken)
    {
        var predecessor = await agreements.FindLiveAsync(command.Id, cancellationToken).ForChangeAsync(command.ExpectedVersion, AgreementErrors.NotFound);

        // The successor starts from its own signing date unless the changes say otherwise.
        var inherited = predecessor.ToInput() with { Validity = null, SourceNote = null };
        var fields = AgreementFields.Parse(MergePatch.Apply(inherited, command.Changes));
        if (fields.SignedOn == predecessor.SignedOn)
        {
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("signedOn", "A renewal needs its own signing date.")]);
        }

        var successor = Agreement.Create(
            Guid.CreateVersion7(), await fields.ToDetailsAsync(partners, db, cancellationToken), AgreementStatus.Active, clock.TodayInJapan, clock.UtcNow, predecessor.Id);
        predecessor.SupersedeBy(successor.Id, successor.Validity.From, clock.UtcNow);
        agreements.Add(successor);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return await db.ReadAgreementAsync(successor.Id, language.Language, cancellationToken);
    }
}
