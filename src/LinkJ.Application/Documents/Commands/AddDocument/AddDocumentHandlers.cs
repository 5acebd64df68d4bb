using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Documents;
using Mediator;

namespace LinkJ.Application.Documents.Commands.AddDocument;

public sealed class AddFileDocumentHandler(
    IAgreementRepository agreements, IAgreementDocumentRepository documents, IDocumentStore store, IUnitOfWork unitOfWork, IClock clock)
    : ICommandHandler<AddFileDocumentCommand, AddedDocument>
{
    public async ValueTask<AddedDocument> Handle(AddFileDocumentCommand command, CancellationToken cancellationToken)
    {
        // Everything that can be refused without the bytes is checked before a byte is read.
        var (kind, title, language, visibility) = command.Input.Parse();
        if (command.ExpectedSha256 is not null && !AgreementDocument.IsSha256(command.ExpectedSha256))
        {
            throw new DomainException(DocumentErrors.InvalidSha256.ForField("sha256"));
        }

        if (string.IsNullOrWhiteSpace(command.FileName))
        {
            throw new DomainException(DocumentErrors.FileNameRequired.ForField("file"));
        }

        var agreement = await agreements.FindLiveAsync(command.AgreementId, cancellationToken).ForChangeAsync(command.ExpectedVersion, AgreementErrors.NotFound);
        await documents.EnsureRoomAsync(agreement.Id, cancellationToken);

        // The type is what the first bytes say, never the name or the declared type.
        var head = new byte[DocumentContent.HeadLength];
        var headLength = await command.Content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var mediaType = DocumentContent.Detect(head.AsSpan(0, headLength)) ?? throw new DomainException(DocumentErrors.UnsupportedContent.ForField("file"));

        var id = Guid.CreateVersion7();
        var stored = await store.WriteAsync(id, head.AsMemory(0, headLength), command.Content, AgreementDocument.MaxFileBytes, cancellationToken);
        if (command.ExpectedSha256 is { } expected && !string.Equals(expected, stored.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainException(DocumentErrors.HashMismatch.ForField("sha256"));
        }

        var document = AgreementDocument.File(id, agreement.Id, kind, title, language, visibility, command.FileName, mediaType, stored.Size, stored.Sha256, clock.UtcNow);
        documents.Add(document);
        agreement.RecordDocumentChange(clock.UtcNow);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return new AddedDocument(document.ToDto(), agreement.Version);
    }
}

public sealed class AddLinkDocumentHandler(IAgreementRepository agreements, IAgreementDocumentRepository documents, IUnitOfWork unitOfWork, IClock clock)
    : ICommandHandler<AddLinkDocumentCommand, AddedDocument>
{
    public async ValueTask<AddedDocument> Handle(AddLinkDocumentCommand command, CancellationToken cancellationToken)
    {
        var input = command.Input;
        var (kind, title, language, visibility) = input.Parse();
        if (input.Url is null)
        {
            throw new DomainException(DocumentErrors.InvalidUrl.ForField("url"));
        }

        var agreement = await agreements.FindLiveAsync(command.AgreementId, cancellationToken).ForChangeAsync(command.ExpectedVersion, AgreementErrors.NotFound);
        await documents.EnsureRoomAsync(agreement.Id, cancellationToken);
        var document = AgreementDocument.Link(Guid.CreateVersion7(), agreement.Id, kind, title, language, visibility,
            input.Url.Trim(), Blank(input.MediaType), size: null, Blank(input.Sha256), clock.UtcNow);
        documents.Add(document);
        agreement.RecordDocumentChange(clock.UtcNow);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return new AddedDocument(document.ToDto(), agreement.Version);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
