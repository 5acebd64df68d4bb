using LinkJ.Application.Common.Dtos;

namespace LinkJ.Application.Documents;

// The fields that say what they are have no description: the OpenAPI document's size budget (docs/decisions/0038).
#pragma warning disable CS1573
/// <summary>A document of an agreement: a stored file (PDF or image) or a link.</summary>
/// <param name="Kind">press-release, signed-mou or annex.</param>
/// <param name="Language">ja or en.</param>
/// <param name="Visibility">public or internal.</param>
/// <param name="Storage">file (bytes at contentUrl) or link (url).</param>
/// <param name="Size">Bytes; null for a link not fetched.</param>
/// <param name="Sha256">Hex; null for a link not fetched.</param>
public sealed record AgreementDocumentDto(
    Guid Id,
    Guid AgreementId,
    string Kind,
    BilingualTextDto Title,
    string Language,
    string Visibility,
    string Storage,
    string? MediaType,
    long? Size,
    string? Sha256,
    string? FileName,
    string? Url,
    string? ContentUrl,
    DateTimeOffset CreatedAt);
#pragma warning restore CS1573

/// <summary>What a document's content read needs: where the bytes are and how to describe them.</summary>
/// <param name="Document">The document.</param>
/// <param name="Open">Opens a seekable stream of a file's bytes; null for a link.</param>
public sealed record DocumentContentDto(AgreementDocumentDto Document, Func<Stream>? Open);

/// <summary>
/// The agreement documents as the API shows them, read by the database in one round trip each (ADR 0031, 0038). Only
/// live agreements have documents to show.
/// </summary>
public interface IAgreementDocumentQueries
{
    /// <summary>The live agreement's documents, oldest first (public only unless <paramref name="includeInternal"/>); null when the agreement is not live.</summary>
    Task<IReadOnlyList<AgreementDocumentDto>?> ListAsync(Guid agreementId, bool includeInternal, CancellationToken cancellationToken);

    /// <summary>One document of a live agreement; null when there is none (or it is internal and <paramref name="includeInternal"/> is false).</summary>
    Task<AgreementDocumentDto?> FindAsync(Guid agreementId, Guid documentId, bool includeInternal, CancellationToken cancellationToken);

    /// <summary>
    /// The public documents of many live agreements at once, in one round trip (for pages that list agreements with
    /// their documents): by agreement id, oldest first; agreements without public documents are left out.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, IReadOnlyList<AgreementDocumentDto>>> ListPublicAsync(IReadOnlyCollection<Guid> agreementIds, CancellationToken cancellationToken);
}
