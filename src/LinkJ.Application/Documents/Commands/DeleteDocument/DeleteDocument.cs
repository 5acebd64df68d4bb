using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Documents;
using Mediator;

namespace LinkJ.Application.Documents.Commands.DeleteDocument;

/// <summary>Removes a document (and a file's bytes) from the agreement: a change of the agreement.</summary>
/// <param name="AgreementId">The agreement.</param>
/// <param name="DocumentId">The document.</param>
/// <param name="ExpectedVersion">The agreement's version the client read (its If-Match).</param>
public sealed record DeleteDocumentCommand(Guid AgreementId, Guid DocumentId, VersionCondition ExpectedVersion) : ICommand<int>, IWholeTransactionCommand;

public sealed class DeleteDocumentHandler(
    IAgreementRepository agreements, IAgreementDocumentRepository documents, IDocumentStore store, IUnitOfWork unitOfWork, IClock clock)
    : ICommandHandler<DeleteDocumentCommand, int>
{
    /// <returns>The agreement's new version.</returns>
    public async ValueTask<int> Handle(DeleteDocumentCommand command, CancellationToken cancellationToken)
    {
        var agreement = await agreements.FindLiveAsync(command.AgreementId, cancellationToken).ForChangeAsync(command.ExpectedVersion, AgreementErrors.NotFound);
        var document = await documents.FindAsync(agreement.Id, command.DocumentId, cancellationToken) ?? throw new DomainException(DocumentErrors.NotFound);
        if (document.IsFile)
        {
            await store.DeleteAsync(document.Id, cancellationToken);
        }

        documents.Remove(document);
        agreement.RecordDocumentChange(clock.UtcNow);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return agreement.Version;
    }
}
