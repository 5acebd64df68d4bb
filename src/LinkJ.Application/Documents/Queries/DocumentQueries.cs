using LinkJ.Application.Abstractions;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Documents;
using Mediator;

namespace LinkJ.Application.Documents.Queries;

/// <summary>A live agreement's documents: the public ones, and the internal ones too when the caller may read them.</summary>
public sealed record ListAgreementDocumentsQuery(Guid AgreementId, bool IncludeInternal) : IQuery<IReadOnlyList<AgreementDocumentDto>>;

/// <summary>One document's description.</summary>
public sealed record GetAgreementDocumentQuery(Guid AgreementId, Guid DocumentId, bool IncludeInternal) : IQuery<AgreementDocumentDto>;

/// <summary>One document with a way to read a file's bytes.</summary>
public sealed record GetDocumentContentQuery(Guid AgreementId, Guid DocumentId, bool IncludeInternal) : IQuery<DocumentContentDto>;

/// <summary>
/// The public documents of many agreements in one round trip, by agreement id (for pages that list agreements, such as
/// the partnerships page). Agreements that are not live or have no public document are left out.
/// </summary>
public sealed record ListPublicAgreementDocumentsQuery(IReadOnlyCollection<Guid> AgreementIds) : IQuery<IReadOnlyDictionary<Guid, IReadOnlyList<AgreementDocumentDto>>>;

public sealed class DocumentQueryHandlers(IAgreementDocumentQueries documents, IDocumentStore store) :
    IQueryHandler<ListAgreementDocumentsQuery, IReadOnlyList<AgreementDocumentDto>>,
    IQueryHandler<GetAgreementDocumentQuery, AgreementDocumentDto>,
    IQueryHandler<GetDocumentContentQuery, DocumentContentDto>,
    IQueryHandler<ListPublicAgreementDocumentsQuery, IReadOnlyDictionary<Guid, IReadOnlyList<AgreementDocumentDto>>>
{
    public async ValueTask<IReadOnlyList<AgreementDocumentDto>> Handle(ListAgreementDocumentsQuery query, CancellationToken cancellationToken) =>
        await documents.ListAsync(query.AgreementId, query.IncludeInternal, cancellationToken) ?? throw new DomainException(AgreementErrors.NotFound);

    public async ValueTask<AgreementDocumentDto> Handle(GetAgreementDocumentQuery query, CancellationToken cancellationToken) =>
        await documents.FindAsync(query.AgreementId, query.DocumentId, query.IncludeInternal, cancellationToken) ?? throw new DomainException(DocumentErrors.NotFound);

    public async ValueTask<DocumentContentDto> Handle(GetDocumentContentQuery query, CancellationToken cancellationToken)
    {
        var document = await documents.FindAsync(query.AgreementId, query.DocumentId, query.IncludeInternal, cancellationToken)
            ?? throw new DomainException(DocumentErrors.NotFound);
        return new DocumentContentDto(document, document.Storage == "file" ? () => store.OpenRead(document.Id, document.Size ?? 0) : null);
    }

    public async ValueTask<IReadOnlyDictionary<Guid, IReadOnlyList<AgreementDocumentDto>>> Handle(ListPublicAgreementDocumentsQuery query, CancellationToken cancellationToken) =>
        query.AgreementIds.Count == 0 ? new Dictionary<Guid, IReadOnlyList<AgreementDocumentDto>>() : await documents.ListPublicAsync(query.AgreementIds, cancellationToken);
}
