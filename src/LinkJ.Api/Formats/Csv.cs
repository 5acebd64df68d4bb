using System.Text;
using LinkJ.Api.Errors;

namespace LinkJ.Api.Formats;

/// <summary>RFC 4180 CSV in UTF-8 with a byte-order mark, so that Excel in Japan opens Japanese text correctly.</summary>
public static class Csv
{
    public const string MediaType = "text/csv";

    /// <summary>Whether the client asked for CSV: <c>?format=csv</c>, or <c>Accept: text/csv</c> preferred to JSON.</summary>
    public static bool IsRequested(HttpRequest request)
    {
        if (request.Query.TryGetValue("format", out var format))
        {
            return format.ToString() switch
            {
                "csv" => true,
                "json" => false,
                _ => throw new ApiProblemException(StatusCodes.Status400BadRequest, "format.unsupported", "format must be json or csv."),
            };
        }

        var accepted = request.GetTypedHeaders().Accept;
        var csv = accepted.Where(a => a.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        var json = accepted.Where(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || a.MediaType == "*/*")
            .Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        return csv > 0 && csv >= json;
    }

    /// <summary>
    /// The answer of a JSON list to a client that asked it for CSV (<c>?format=csv</c> or <c>Accept: text/csv</c>):
    /// 303 See Other to the list's own CSV operation with the same filters, so each operation has one response type
    /// in the OpenAPI document while CSV by negotiation keeps working for clients that follow redirects.
    /// </summary>
    public static SeeOther SeeExport(HttpRequest request, string exportPath)
    {
        var kept = request.Query.Where(q => q.Key is not ("format" or "limit" or "cursor"))
            .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)));
        return new SeeOther(request.PathBase + exportPath + QueryString.Create(kept));
    }

    /// <summary>One row: fields separated by commas, quoted where they need it, ended by CRLF.</summary>
    public static string Row(IReadOnlyList<string?> fields)
    {
        var text = new StringBuilder();
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(Field(fields[i]));
        }

        return text.Append("\r\n").ToString();
    }

    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        // A cell that starts like a formula would be run by a spreadsheet (CSV injection): make it plain text.
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}

/// <summary>Marks a list that can also answer in CSV, for its documentation.</summary>
public sealed record CsvExportMetadata;

/// <summary>
/// A CSV file written to the response as its rows come: a header row, then every row of <paramref name="rows"/>, with
/// nothing held but the current page, so an export of any size takes constant memory and is never cut short.
/// </summary>
public sealed class CsvFile(string fileName, IReadOnlyList<string> header, IAsyncEnumerable<IReadOnlyList<string?>> rows) : IResult
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public string FileName => fileName;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = Csv.MediaType + "; charset=utf-8; header=present";
        response.Headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment")
        {
            FileName = fileName,
            FileNameStar = fileName,
        }.ToString();

        await using var writer = new StreamWriter(response.Body, Utf8, bufferSize: 16 * 1024);
        await writer.WriteAsync("\uFEFF"); // the BOM: Excel in Japan reads the file as UTF-8 only with it
        await writer.WriteAsync(Csv.Row(header));
        await foreach (var row in rows.WithCancellation(httpContext.RequestAborted))
        {
            await writer.WriteAsync(Csv.Row(row));
        }

        await writer.FlushAsync(httpContext.RequestAborted);
    }
}

/// <summary>303 See Other: the answer is at <see cref="Location"/>, to be read with GET.</summary>
public sealed record SeeOther(string Location) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }
}
