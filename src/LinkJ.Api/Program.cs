using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using LinkJ.Api.Endpoints;
using LinkJ.Api.Errors;
using LinkJ.Api.Http;
using LinkJ.Api.OpenApi;
using LinkJ.Api.Security;
using LinkJ.Application;
using LinkJ.Application.Common.Behaviors;
using LinkJ.Infrastructure;
using LinkJ.Infrastructure.Persistence;

if (args.FirstOrDefault() == KeysCommand.Verb)
{
    return await KeysCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddApplication();
builder.Services.AddInfrastructure(builder.Configuration);
builder.Services.AddMediator(options =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
});

builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
    // A sync client that sends a field we do not know speaks another version: tell it (400) rather than drop the field.
    options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
});
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
{
    var problem = context.ProblemDetails;
    problem.Instance ??= context.HttpContext.Request.Path;
    problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
    if (!problem.Extensions.ContainsKey("code"))
    {
        // Problems the framework writes itself (an unknown route, a wrong method) get a code too.
        var code = problem.Status switch
        {
            StatusCodes.Status404NotFound => ProblemCodes.NotFound,
            StatusCodes.Status405MethodNotAllowed => ProblemCodes.MethodNotAllowed,
            StatusCodes.Status415UnsupportedMediaType => ProblemCodes.UnsupportedMediaType,
            _ => ProblemCodes.MalformedRequest,
        };
        problem.Extensions["code"] = code;
        problem.Type = ProblemCodes.TypeOf(code);
    }
});

builder.Services.AddHealthChecks()
    .AddCheck<MigrationsAppliedHealthCheck>("database", tags: [HealthEndpoints.ReadyTag]);
builder.Services.AddApiKeySecurity();
builder.Services.AddCorsPolicies(builder.Configuration);
builder.Services.AddApiRateLimits(builder.Configuration);
// Behind a load balancer the client is in X-Forwarded-For (rate limits are per client address); trusted only from
// loopback proxies unless ASPNETCORE_FORWARDEDHEADERS_ENABLED=true says every proxy in front is trusted.
builder.Services.Configure<ForwardedHeadersOptions>(options =>
    options.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto);
builder.Services.AddOptions<CachingOptions>().Bind(builder.Configuration.GetSection(CachingOptions.Section));
builder.Services.AddScoped<LinkJ.Application.Abstractions.ILanguageContext, LanguageNegotiation.Context>();
builder.Services.AddApiDocumentation();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCors();
app.UseAuthentication();
app.UseApiRateLimits();
app.UseLanguageNegotiation();
app.UseMiddleware<PublicReadCache>();
app.UseAuthorization();

if (app.Configuration.GetValue("Swagger:Enabled", defaultValue: true))
{
    app.UseSwagger();
    app.UseSwaggerUI(options =>
    {
        options.SwaggerEndpoint("/swagger/v1/swagger.json", "LinkJ.Api v1");
        options.DocumentTitle = "LinkJ.Api — LINK-J partners and agreements";
    });
    app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
}

app.MapHealth();
app.MapPartners();
app.MapPartnerWrites();
app.MapAgreements();
app.MapAgreementWrites();
app.MapCooperationScopes();
app.MapStats();
app.MapChanges();

await app.RunAsync();
return 0;

/// <summary>The entry point; public so that the integration tests can host the whole pipeline.</summary>
public partial class Program;
