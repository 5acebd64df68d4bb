using LinkJ.Application.Abstractions;
using LinkJ.Application.Security;
using Microsoft.AspNetCore.Authentication;

namespace LinkJ.Api.Security;

public static class SecuritySetup
{
    public static IServiceCollection AddApiKeySecurity(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var authorization = services.AddAuthorizationBuilder();
        foreach (var scope in new[] { ApiScopes.PartnersWrite, ApiScopes.AgreementsWrite, ApiScopes.SyncRead, ApiScopes.WebhooksManage, ApiScopes.Admin })
        {
            // admin can do everything the other scopes allow
            authorization.AddPolicy(scope, policy => policy
                .RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope, ApiScopes.Admin));
        }

        services.AddSingleton<AuthFailureLimit>(); // its budget is RateLimits:FailedAuthPerMinute
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentActor, HttpCurrentActor>();
        return services;
    }
}

/// <summary>The API key's name for requests that carry one; "system" otherwise.</summary>
internal sealed class HttpCurrentActor(IHttpContextAccessor http) : ICurrentActor
{
    public string Name => http.HttpContext?.User.Identity?.IsAuthenticated == true
        ? http.HttpContext.User.Identity.Name ?? ICurrentActor.System
        : ICurrentActor.System;
}
