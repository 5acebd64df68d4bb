using LinkJ.Application.Common.Dtos;
using LinkJ.Application.Documents;
using Npgsql;

namespace LinkJ.Infrastructure.Queries;

/// <summary>The document reads as SQL, one statement each, rows straight into <see cref="AgreementDocumentDto"/>s (ADR 0031, 0038).</summary>
public sealed class AgreementDocumentQueries(ReadDatabase database) : IAgreementDocumentQueries
{
    private const string Columns =
        "d.id, d.agreement_id, d.kind, d.title_ja, d.title_en, d.language, d.visibility, d.media_type, d.size, d.sha256, d.file_name, d.url, d.created_at";

    private const string LiveAgreement = "JOIN agreements a ON a.id = d.agreement_id AND a.deleted_at IS NULL";

    public async Task<IReadOnlyList<AgreementDocumentDto>?> ListAsync(Guid agreementId, bool includeInternal, CancellationToken cancellationToken)
    {
        // The agreement's row first (is it live?), then its documents: one statement, one round trip.
        var statement = new Statement();
        var id = statement.Add(agreementId);
        statement.Append(
            $"SELECT true, {Columns} FROM agreements a LEFT JOIN agreement_documents d ON d.agreement_id = a.id" +
            (includeInternal ? string.Empty : " AND d.visibility = 'public'") +
            $" WHERE a.id = {id} AND a.deleted_at IS NULL ORDER BY d.created_at, d.id");
        return await database.ReadAsync(statement, async (reader, token) =>
        {
            List<AgreementDocumentDto>? rows = null;
            while (await reader.ReadAsync(token))
            {
                rows ??= [];
                if (!reader.IsDBNull(1))
                {
                    rows.Add(Read(reader, 1));
                }
            }

            return (IReadOnlyList<AgreementDocumentDto>?)rows;
        }, cancellationToken);
    }

    public async Task<AgreementDocumentDto?> FindAsync(Guid agreementId, Guid documentId, bool includeInternal, CancellationToken cancellationToken)
    {
        var statement = new Statement();
        statement.Append(
            $"SELECT {Columns} FROM agreement_documents d {LiveAgreement} WHERE d.id = {statement.Add(documentId)} AND d.agreement_id = {statement.Add(agreementId)}" +
            (includeInternal ? string.Empty : " AND d.visibility = 'public'"));
        return await database.ReadAsync(statement, async (reader, token) => await reader.ReadAsync(token) ? Read(reader, 0) : null, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<AgreementDocumentDto>>> ListPublicAsync(IReadOnlyCollection<Guid> agreementIds, CancellationToken cancellationToken)
    {
        var statement = new Statement();
        statement.Append(
            $"SELECT {Columns} FROM agreement_documents d {LiveAgreement} " +
            $"WHERE d.agreement_id = ANY({statement.Add(agreementIds.ToArray())}) AND d.visibility = 'public' ORDER BY d.agreement_id, d.created_at, d.id");
        var rows = await database.ListAsync(statement, reader => Read(reader, 0), cancellationToken);
        return rows.GroupBy(d => d.AgreementId).ToDictionary(g => g.Key, g => (IReadOnlyList<AgreementDocumentDto>)[.. g]);
    }

    private static AgreementDocumentDto Read(NpgsqlDataReader r, int o)
    {
        var id = r.GetGuid(o);
        var agreementId = r.GetGuid(o + 1);
        var url = r.IsDBNull(o + 11) ? null : r.GetString(o + 11);
        return new AgreementDocumentDto(
            id,
            agreementId,
            r.GetString(o + 2),
            new BilingualTextDto(r.GetString(o + 3), r.IsDBNull(o + 4) ? null : r.GetString(o + 4)),
            r.GetString(o + 5),
            r.GetString(o + 6),
            url is null ? "file" : "link",
            r.IsDBNull(o + 7) ? null : r.GetString(o + 7),
            r.IsDBNull(o + 8) ? null : r.GetInt64(o + 8),
            r.IsDBNull(o + 9) ? null : r.GetString(o + 9),
            r.IsDBNull(o + 10) ? null : r.GetString(o + 10),
            url,
            url is null ? DocumentMapping.ContentUrl(agreementId, id) : null,
            r.GetFieldValue<DateTimeOffset>(o + 12));
    }
}
