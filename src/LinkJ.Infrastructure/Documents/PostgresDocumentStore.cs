using System.Data;
using System.Security.Cryptography;
using LinkJ.Application.Abstractions;
using LinkJ.Domain.Common;
using LinkJ.Domain.Documents;
using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace LinkJ.Infrastructure.Documents;

/// <summary>
/// Document bytes in PostgreSQL (ADR 0038): table <c>document_contents</c>, one row per <see cref="ChunkBytes"/> chunk
/// (<c>document_id, seq, data bytea</c>). A write inserts each chunk as it arrives, in the unit of work's transaction,
/// hashing as it goes: at most one chunk is in memory. A read fetches the chunk under its position, one at a time, so
/// it can seek (HTTP ranges) and never holds more than one chunk.
/// </summary>
public sealed class PostgresDocumentStore(AppDbContext db, NpgsqlDataSource dataSource) : IDocumentStore
{
    /// <summary>256 KiB: small enough to hold one per request, big enough that a 20 MiB file is 80 rows.</summary>
    public const int ChunkBytes = 256 * 1024;

    public async Task<StoredContent> WriteAsync(Guid documentId, ReadOnlyMemory<byte> head, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var database = db.Database;
        var transaction = database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("A document's bytes are written in the unit of work's transaction (IWholeTransactionCommand).");
        var connection = (NpgsqlConnection)database.GetDbConnection();
        await using var insert = new NpgsqlCommand("INSERT INTO document_contents (document_id, seq, data) VALUES ($1, $2, $3)", connection, transaction);
        var id = new NpgsqlParameter<Guid> { TypedValue = documentId };
        var seq = new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer };
        var data = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea };
        insert.Parameters.Add(id);
        insert.Parameters.Add(seq);
        insert.Parameters.Add(data);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkBytes];
        head.CopyTo(buffer);
        var filled = head.Length;
        long total = 0;
        var chunk = 0;
        while (true)
        {
            var read = await content.ReadAtLeastAsync(buffer.AsMemory(filled), buffer.Length - filled, throwOnEndOfStream: false, cancellationToken);
            filled += read;
            if (filled == 0)
            {
                break;
            }

            total += filled;
            if (total > maxBytes)
            {
                throw new DomainException(DocumentErrors.TooLarge.ForField("file"));
            }

            hash.AppendData(buffer, 0, filled);
            seq.TypedValue = chunk++;
            data.Value = new ArraySegment<byte>(buffer, 0, filled);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            if (filled < buffer.Length)
            {
                break; // the stream ended
            }

            filled = 0;
        }

        return new StoredContent(total, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    public Stream OpenRead(Guid documentId, long length) => new ChunkedContentStream(dataSource, documentId, length, ChunkBytes);

    public async Task DeleteAsync(Guid documentId, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"DELETE FROM document_contents WHERE document_id = {documentId}", cancellationToken);
}

/// <summary>
/// The stored bytes of one document as a seekable, read-only stream: each read fetches (at most) the chunk under the
/// position, on a connection of its own opened at the first read and closed with the stream.
/// </summary>
internal sealed class ChunkedContentStream(NpgsqlDataSource dataSource, Guid documentId, long length, int chunkBytes) : Stream
{
    private NpgsqlConnection? _connection;
    private byte[]? _chunk;
    private int _chunkIndex = -1;
    private long _position;

    /// <summary>How many chunks were fetched (for tests and the benchmark: a range read fetches only what it needs).</summary>
    public int ChunksRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return _position;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }

        var index = (int)(_position / chunkBytes);
        if (index != _chunkIndex)
        {
            _chunk = await FetchAsync(index, cancellationToken);
            _chunkIndex = index;
        }

        var within = (int)(_position - ((long)index * chunkBytes));
        var available = Math.Min(_chunk!.Length - within, (int)Math.Min(buffer.Length, length - _position));
        if (available <= 0)
        {
            throw new InvalidDataException($"Document {documentId}'s stored bytes end before its size ({length}).");
        }

        _chunk.AsMemory(within, available).CopyTo(buffer);
        _position += available;
        return available;
    }

    private async Task<byte[]> FetchAsync(int index, CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            _connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand("SELECT data FROM document_contents WHERE document_id = $1 AND seq = $2", _connection)
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = documentId }, new NpgsqlParameter<int> { TypedValue = index } },
        };
        ChunksRead++;
        return await command.ExecuteScalarAsync(cancellationToken) as byte[]
            ?? throw new InvalidDataException($"Document {documentId} has no stored chunk {index}.");
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _connection?.Dispose();
            _connection = null;
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }

        await base.DisposeAsync();
    }
}
