using LinkJ.Api.Errors;

namespace LinkJ.Api.Http;

/// <summary>
/// The limits on what a client may send, in one place: the body size (413 before a byte of it is read when the
/// length is announced; Kestrel enforces the same limit on a chunked body) and the JSON nesting depth (400). Lengths
/// of texts, page sizes and list sizes are the domain's and the validators' (see the README's "Limits").
/// </summary>
public static class RequestLimits
{
    /// <summary>The largest request body: 1 MiB, a hundred times the largest valid agreement.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>How deep a JSON body may nest; a valid agreement nests 3 deep.</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>Answers 413 to a request whose Content-Length is over <see cref="MaxBodyBytes"/>, without reading its body.</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            throw new ApiProblemException(StatusCodes.Status413PayloadTooLarge, ProblemCodes.BodyTooLarge, TooLargeDetail);
        }

        await next(context);
    });

    public static string TooLargeDetail { get; } = $"A request body may be at most {MaxBodyBytes / 1024} KiB.";
}
