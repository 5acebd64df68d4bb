namespace LinkJ.Api.Errors;

/// <summary>Codes of the problems the HTTP layer itself reports (the domain's are in its error catalogues).</summary>
public static class ProblemCodes
{
    public const string ValidationFailed = "validation.failed";
    public const string MalformedRequest = "request.malformed";
    public const string NotFound = "resource.not-found";
    public const string Unexpected = "server.unexpected";
    public const string MethodNotAllowed = "request.method-not-allowed";
    public const string UnsupportedMediaType = "request.unsupported-media-type";
    public const string BodyTooLarge = "request.body-too-large";
    public const string RateLimitExceeded = "rate-limit.exceeded";
    public const string TooManyAuthFailures = "auth.too-many-failures";
    public const string DatabaseUnavailable = "server.database-unavailable";
    public const string UnknownQueryParameter = "query.unknown-parameter";
    public const string ImportRowsInvalid = "import.rows-invalid";

    /// <summary>The problem <c>type</c> URI of a code.</summary>
    public static string TypeOf(string code) => "urn:linkj:problem:" + code;
}
