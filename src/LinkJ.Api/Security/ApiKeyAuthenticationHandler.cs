using System.Security.Claims;
using System.Text.Encodings.Web;
using LinkJ.Api.Errors;
using LinkJ.Api.Http;
using LinkJ.Application.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinkJ.Api.Security;

/// <summary>
/// Authenticates <c>Authorization: ApiKey &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>. A missing, unknown or revoked key
/// gets one and the same 401 problem, so a caller cannot tell which it was; a key without the scope gets 403.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiKeys keys,
    AuthFailureLimit failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string ScopeClaim = "scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        // The start-up warm-up's own key is stored nowhere: looked up like any key (so the lookup is warmed too), it is
        // found only in the warm-up's in-process requests, never in a client's (ADR 0056).
        var key = await keys.AuthenticateAsync(presented, Context.RequestAborted) ?? WarmUpPipeline.IdentityOf(Context, presented);
        if (key is null)
        {
            await failures.RecordFailureAsync(Context);
            return AuthenticateResult.Fail("Invalid API key.");
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, key.Name), new(ClaimTypes.NameIdentifier, key.Prefix) };
        claims.AddRange(key.Scopes.Select(scope => new Claim(ScopeClaim, scope)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{SchemeName}, header=\"{HeaderName}\"";
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, "auth.unauthenticated",
            "Authentication required.", "This operation needs a valid API key: 'Authorization: ApiKey <key>' or 'X-Api-Key: <key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "auth.forbidden",
            "Not allowed.", "The API key does not have the scope this operation needs.");

    public static bool PresentsKey(HttpRequest request) => PresentedKey(request) is not null;

    /// <summary>The key the request presents, if any.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[(SchemeName.Length + 1)..].Trim();
        }

        var header = request.Headers[HeaderName].ToString();
        return string.IsNullOrWhiteSpace(header) ? null : header.Trim();
    }

    private Task WriteProblemAsync(int status, string code, string title, string detail) =>
        Context.WriteProblemAsync(status, code, title, detail);
}
