using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using Mediator;

namespace LinkJ.Application.Documents.Commands.AddDocument;

/// <summary>Stores a file (PDF or image, checked by its bytes) as a document of the agreement.</summary>
/// <param name="AgreementId">The agreement.</param>
/// <param name="ExpectedVersion">The agreement's version the client read (its If-Match).</param>
/// <param name="Input">The document's fields.</param>
/// <param name="FileName">The uploaded file's name.</param>
/// <param name="Content">The file's bytes, read once as they arrive.</param>
/// <param name="ExpectedSha256">The SHA-256 the client computed, if it sent one: the bytes must match it.</param>
public sealed record AddFileDocumentCommand(
    Guid AgreementId, VersionCondition ExpectedVersion, DocumentInput Input, string? FileName, Stream Content, string? ExpectedSha256)
    : ICommand<AddedDocument>, IWholeTransactionCommand;

/// <summary>Records a link to a document published elsewhere.</summary>
/// <param name="AgreementId">The agreement.</param>
/// <param name="ExpectedVersion">The agreement's version the client read (its If-Match).</param>
/// <param name="Input">The link and the document's fields.</param>
public sealed record AddLinkDocumentCommand(Guid AgreementId, VersionCondition ExpectedVersion, LinkDocumentInput Input) : ICommand<AddedDocument>;
