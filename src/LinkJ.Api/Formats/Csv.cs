using System.Text;
using LinkJ.Api.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LinkJ.Api.Formats;

/// <summary>RFC 4180 CSV in UTF-8 with a byte-order mark, so that Excel in Japan opens Japanese text correctly.</summary>
public static class Csv
{
    public const string MediaType = "text/csv";
    public const int MaxRows = 100_000;

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

    /// <summary>The file: a header row, then one row per record, CRLF line ends, fields quoted where they need it.</summary>
    public static FileContentHttpResult File(string name, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var text = new StringBuilder();
        AppendRow(text, header);
        foreach (var row in rows)
        {
            AppendRow(text, row);
        }

        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray();
        return TypedResults.File(bytes, MediaType + "; charset=utf-8; header=present", name);
    }

    internal static void AppendRow(StringBuilder text, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(Field(fields[i]));
        }

        text.Append("\r\n");
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
