namespace LinkJ.Application.Abstractions;

/// <summary>
/// Where the bytes of stored document files live, by document id (ADR 0038). PostgreSQL today
/// (<c>document_contents</c>, in chunks); an S3-compatible store could take its place behind this interface. Bytes are
/// streamed in and out, never held whole.
/// </summary>
public interface IDocumentStore
{
    /// <summary>
    /// Stores <paramref name="head"/> followed by the rest of <paramref name="content"/> under <paramref name="documentId"/>,
    /// in the unit of work's transaction (a failure stores nothing), hashing as it streams. Stops with
    /// <see cref="Domain.Documents.DocumentErrors.TooLarge"/> as soon as more than <paramref name="maxBytes"/> came.
    /// </summary>
    Task<StoredContent> WriteAsync(Guid documentId, ReadOnlyMemory<byte> head, Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>A seekable, read-only stream of the stored bytes (<paramref name="length"/> of them), reading them as it goes.</summary>
    Stream OpenRead(Guid documentId, long length);

    /// <summary>Removes the bytes, in the unit of work's transaction.</summary>
    Task DeleteAsync(Guid documentId, CancellationToken cancellationToken);
}

/// <summary>What was stored: how many bytes and their SHA-256 (lower-case hex).</summary>
public sealed record StoredContent(long Size, string Sha256);

/// <summary>
/// Marks a command whose handler writes more than one statement that must commit together (a document's bytes and its
/// record): the unit of work opens its transaction before the handler runs, with or without an Idempotency-Key.
/// </summary>
public interface IWholeTransactionCommand;
