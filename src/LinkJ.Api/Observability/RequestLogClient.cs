using Microsoft.AspNetCore.HttpLogging;

namespace LinkJ.Api.Observability;

/// <summary>
/// Adds who made the request to its log line: the API key's name (as <c>keys list</c> shows it), or "anonymous" — never
/// the key itself. Set when the response starts, after authentication.
/// </summary>
internal sealed class RequestLogClient : IHttpLoggingInterceptor
{
    public const string Field = "Client";

    public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logContext) => ValueTask.CompletedTask;

    public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logContext)
    {
        var user = logContext.HttpContext.User.Identity;
        logContext.AddParameter(Field, user?.IsAuthenticated == true ? user.Name ?? "unnamed" : "anonymous");
        return ValueTask.CompletedTask;
    }
}
