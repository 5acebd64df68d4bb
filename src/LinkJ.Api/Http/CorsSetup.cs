namespace LinkJ.Api.Http;

/// <summary>
/// Browsers on any site may read the public data (no credentials); only the origins configured in
/// <c>Cors:WriteOrigins</c> may send writes from a browser.
/// </summary>
public static class CorsSetup
{
    public const string PublicReads = "public-reads";
    public const string Writes = "writes";

    private static readonly string[] Exposed =
        ["ETag", "Link", "Content-Language", "Retry-After", "RateLimit", "RateLimit-Policy", "Location", "Idempotent-Replayed"];

    public static IServiceCollection AddCorsPolicies(this IServiceCollection services, IConfiguration configuration)
    {
        var writeOrigins = configuration.GetSection("Cors:WriteOrigins").Get<string[]>() ?? [];
        services.AddCors(options =>
        {
            options.AddPolicy(PublicReads, policy => policy
                .AllowAnyOrigin()
                .WithMethods("GET")
                .WithHeaders("Accept", "Accept-Language", "If-None-Match")
                .WithExposedHeaders(Exposed)
                .SetPreflightMaxAge(TimeSpan.FromHours(1)));
            options.AddPolicy(Writes, policy => policy
                .WithOrigins(writeOrigins)
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithHeaders("Authorization", "X-Api-Key", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "Accept", "Accept-Language")
                .WithExposedHeaders(Exposed)
                .SetPreflightMaxAge(TimeSpan.FromHours(1)));
        });
        return services;
    }
}
