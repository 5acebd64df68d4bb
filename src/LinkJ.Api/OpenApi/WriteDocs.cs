namespace LinkJ.Api.OpenApi;

/// <summary>The write reads If-Match (Http/ETags.cs): required (missing → 428) or only to change a stored record.</summary>
/// <param name="Required">True where the endpoint calls <c>RequiredIfMatch</c>; false where <c>OptionalIfMatch</c>.</param>
public sealed record IfMatchMetadata(bool Required);

public static class WriteDocs
{
    /// <summary>
    /// The problems a write can answer with (413 for a body over the limit); an existing resource's write adds 404, 412
    /// and 428, and documents the If-Match it reads: <paramref name="ifMatchRequired"/> as the endpoint enforces it.
    /// </summary>
    public static RouteHandlerBuilder ProducesWriteProblems(this RouteHandlerBuilder builder, bool existing = false, bool ifMatchRequired = true)
    {
        builder.ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesCommonProblems();
        if (existing)
        {
            builder.ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status412PreconditionFailed)
                .ProducesProblem(StatusCodes.Status428PreconditionRequired)
                .WithMetadata(new IfMatchMetadata(ifMatchRequired));
        }

        return builder;
    }
}
