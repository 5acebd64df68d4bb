namespace LinkJ.Api.Http;

/// <summary>
/// Headers that tell browsers to treat every response as data: no MIME sniffing, no framing, no referrer, and a
/// Content-Security-Policy that allows nothing — except on Swagger UI, whose page needs its own scripts, styles and
/// the OpenAPI document from this origin, and the partnerships page, whose inline style is allowed by its hash (ADR 0039). Set when the response starts, so errors, 304s and 429s carry them too.
/// </summary>
public static class SecurityHeaders
{
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>Swagger UI: its own files, the inline styles and the data: images it uses; still no framing.</summary>
    public const string SwaggerUiPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // The context is the callback's state: no closure per request, and no state machine (nothing runs after next).
        context.Response.OnStarting(WriteHeaders, context);
        return next(context);
    });

    private static readonly Func<object, Task> WriteHeaders = state =>
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = IsSwaggerUi(context.Request.Path) ? SwaggerUiPolicy
            : Pages.PartnershipsPage.IsPage(context.Request.Path) ? Pages.PartnershipsPage.ContentSecurityPolicy
            : ApiPolicy;
        return Task.CompletedTask;
    };

    private static bool IsSwaggerUi(PathString path) =>
        path.StartsWithSegments("/swagger") && !path.Value!.EndsWith(".json", StringComparison.Ordinal);
}
