using System.Data;
using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace LinkJ.Infrastructure.Queries;

/// <summary>
/// The database a request's reads run on: the standby context when the read route chose one for this request, else the
/// primary (<see cref="ReadRoute"/>). The query services send their SQL on its connection, one batch per read, so a read
/// is one round trip, sees what the route promised (never older than the data version the response is keyed on), and
/// joins the context's transaction when there is one.
/// </summary>
public sealed class ReadDatabase(AppDbContext context)
{
    /// <summary>The routed context (for the vocabulary it caches).</summary>
    public AppDbContext Context => context;

    /// <summary>Runs <paramref name="batch"/>'s statements in one round trip and reads their results with <paramref name="read"/>.</summary>
    public async Task<T> ReadAsync<T>(NpgsqlBatch batch, Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var database = context.Database;
        var connection = (NpgsqlConnection)database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            batch.Connection = connection;
            batch.Transaction = database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction;
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            return await read(reader, cancellationToken);
        }
        finally
        {
            await batch.DisposeAsync();
            if (opened)
            {
                await database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>Runs one statement and reads its rows with <paramref name="read"/>.</summary>
    public Task<T> ReadAsync<T>(Statement statement, Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        ReadAsync(new NpgsqlBatch { BatchCommands = { statement.ToBatchCommand() } }, read, cancellationToken);

    /// <summary>Every row of one statement, each read with <paramref name="row"/>.</summary>
    public Task<List<T>> ListAsync<T>(Statement statement, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken) =>
        ReadAsync(statement, (reader, token) => Rows(reader, row, token), cancellationToken);

    /// <summary>The rows of the reader's current result, each read with <paramref name="row"/>.</summary>
    public static async Task<List<T>> Rows<T>(NpgsqlDataReader reader, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(row(reader));
        }

        return rows;
    }
}

/// <summary>
/// A SQL statement being written, with its positional parameters: <see cref="Add"/> returns the placeholder (<c>$n</c>)
/// to write where the value goes.
/// </summary>
public sealed class Statement
{
    private readonly List<NpgsqlParameter> _parameters = [];

    public Statement(string text = "") => Text = new System.Text.StringBuilder(text);

    public System.Text.StringBuilder Text { get; }

    /// <summary>How many parameters so far (the last one is <c>$Count</c>).</summary>
    public int Count => _parameters.Count;

    /// <summary>Adds a parameter and returns its placeholder. <paramref name="type"/> when the column's type differs from
    /// the one Npgsql infers (a country is character(2): sent as text, the column would be cast and its index not used).</summary>
    public string Add(object value, NpgsqlTypes.NpgsqlDbType? type = null)
    {
        var parameter = new NpgsqlParameter { Value = value };
        if (type is { } dbType)
        {
            parameter.NpgsqlDbType = dbType;
        }

        _parameters.Add(parameter);
        return "$" + _parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public Statement Append(string sql)
    {
        Text.Append(sql);
        return this;
    }

    public NpgsqlBatchCommand ToBatchCommand()
    {
        var command = new NpgsqlBatchCommand(Text.ToString());
        foreach (var parameter in _parameters)
        {
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
