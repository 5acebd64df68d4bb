using LinkJ.Api.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace LinkJ.Api.Http;

/// <summary>
/// The limits on what a client may send, in one place: the body size (413) and the JSON nesting depth (400). Lengths
/// of texts, page sizes and list sizes are the domain's and the validators' (see docs/api-guide.md, "Limits").
/// </summary>
/// <remarks>
/// A body whose Content-Length is over the limit is refused before a byte of it is read. Kestrel then reads and
/// discards the rest (up to <see cref="MaxDiscardedBytes"/>) so that the client, still sending, receives the 413
/// instead of a reset connection. A chunked body is cut off at the limit with the same 413.
/// </remarks>
public static class RequestLimits
{
    /// <summary>The largest request body: 1 MiB, a hundred times the largest valid agreement.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>Kestrel's own limit: how much of a refused body it reads and discards to answer it cleanly.</summary>
    public const long MaxDiscardedBytes = 32 * 1024 * 1024;

    /// <summary>How deep a JSON body may nest; a valid agreement nests 3 deep.</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>How request header values are read: UTF-8, with U+FFFD for bytes that are not (never a failure).</summary>
    public static System.Text.Encoding HeaderEncoding { get; } = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static string TooLargeDetail { get; } = $"A request body may be at most {MaxBodyBytes / 1024} KiB.";

    public static string ImportTooLargeDetail { get; } = $"An import body may be at most {Formats.ImportReader.MaxBodyBytes / 1024 / 1024} MiB; split the file.";

    /// <summary>Imports (<c>POST …/import</c>) take files: their own, larger limit (ADR 0034).</summary>
    private static bool IsImport(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/api/v1") && request.Path.Value!.EndsWith("/import", StringComparison.Ordinal);

    /// <summary>A document upload: the file's 20 MiB and room for the form's fields and framing. The file's own limit is
    /// checked exactly as it streams (413 <c>document.too-large</c>, nothing stored).</summary>
    public const long MaxDocumentUploadBytes = LinkJ.Domain.Documents.AgreementDocument.MaxFileBytes + (64 * 1024);

    public static string DocumentTooLargeDetail { get; } = $"A document upload may be at most {LinkJ.Domain.Documents.AgreementDocument.MaxFileBytes / 1024 / 1024} MiB (its file) and its form's fields.";

    /// <summary>Document uploads (<c>POST /api/v1/agreements/{id}/documents</c>) take files (ADR 0038).</summary>
    private static bool IsDocumentUpload(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/api/v1/agreements") && request.Path.Value!.TrimEnd('/').EndsWith("/documents", StringComparison.Ordinal);

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var import = IsImport(context.Request);
        var document = !import && IsDocumentUpload(context.Request);
        var max = import ? Formats.ImportReader.MaxBodyBytes : document ? MaxDocumentUploadBytes : MaxBodyBytes;
        if (context.Request.ContentLength > max)
        {
            throw new ApiProblemException(StatusCodes.Status413PayloadTooLarge, ProblemCodes.BodyTooLarge, import ? ImportTooLargeDetail : document ? DocumentTooLargeDetail : TooLargeDetail);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        return next(context);
    });
}
