using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using LinkJ.Api.Endpoints;
using LinkJ.Api.Errors;
using LinkJ.Api.Http;
using LinkJ.Api.Observability;
using LinkJ.Api.OpenApi;
using LinkJ.Api.CompositionRoot;
using LinkJ.Api.Security;
using LinkJ.Application;
using LinkJ.Application.Common.Behaviors;
using LinkJ.Infrastructure;
using LinkJ.Infrastructure.Persistence;

if (args.FirstOrDefault() == KeysCommand.Verb)
{
    return await KeysCommand.RunAsync(args);
}

if (args.FirstOrDefault() == MigrateCommand.Verb)
{
    return await MigrateCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxDiscardedBytes;
    // No "Server: Kestrel" banner: it tells an attacker what to try and a client nothing.
    kestrel.AddServerHeader = false;
    // A header value that is not UTF-8 (X-Api-Key: é in Latin-1) is read with U+FFFD in its place, so that the request
    // reaches the pipeline and gets a problem it can read (401, 413), instead of Kestrel's 400 with the connection closed
    // under a client still sending its body.
    kestrel.RequestHeaderEncodingSelector = _ => RequestLimits.HeaderEncoding;
});

builder.AddObservability();

builder.Services.AddApplication();
builder.Services.AddInfrastructure(builder.Configuration);
builder.Services.AddMediator(options =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.PipelineBehaviors = [typeof(UnitOfWorkBehavior<,>)]; // inputs are parsed at the edge (ADR 0044, 0050): no validation behaviour
});

builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
    // A sync client that sends a field we do not know speaks another version: tell it (400) rather than drop the field.
    options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    // {"type":"mou","type":"other"}: which one did the client mean? Refuse rather than guess (parsers disagree).
    options.SerializerOptions.AllowDuplicateProperties = false;
    options.SerializerOptions.MaxDepth = RequestLimits.MaxJsonDepth;
    options.SerializerOptions.Converters.Add(new UnicodeStringConverter());
});
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
{
    var problem = context.ProblemDetails;
    // The path, cut to the length the OpenAPI document promises: a problem never echoes an unbounded input.
    var path = context.HttpContext.Request.Path.ToString();
    problem.Instance ??= path.Length <= ContractShaper.MaxInstanceLength ? path : path[..ContractShaper.MaxInstanceLength];
    problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
    if (!problem.Extensions.ContainsKey("code"))
    {
        // Problems the framework writes itself (an unknown route, a wrong method) get a code too.
        var code = problem.Status switch
        {
            StatusCodes.Status404NotFound => ProblemCodes.NotFound,
            StatusCodes.Status405MethodNotAllowed => ProblemCodes.MethodNotAllowed,
            StatusCodes.Status413PayloadTooLarge => ProblemCodes.BodyTooLarge,
            StatusCodes.Status415UnsupportedMediaType => ProblemCodes.UnsupportedMediaType,
            _ => ProblemCodes.MalformedRequest,
        };
        problem.Extensions["code"] = code;
        problem.Type = ProblemCodes.TypeOf(code);
    }
});

// After the framework's writer: answers in problem+json the clients whose Accept it declines (Accept: application/xml).
builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonFallbackWriter>();

builder.Services.AddHealthChecks()
    .AddCheck<MigrationsAppliedHealthCheck>("database", tags: [HealthEndpoints.ReadyTag]);
// Not ready until the main reads have run once through the pipeline (ADR 0052): the first clients do not pay the JIT.
// /health/ready asks WarmUpState itself, not through a health check (each Unhealthy check is an Error in the log, ADR 0058).
builder.Services.AddOptions<WarmUpOptions>().Bind(builder.Configuration.GetSection(WarmUpOptions.Section));
builder.Services.AddSingleton<WarmUpState>();
builder.Services.AddSingleton<WarmUpPipeline>();
builder.Services.AddHostedService<StartupWarmUp>();
builder.Services.AddApiKeySecurity();
builder.Services.AddReverseProxySupport(builder.Configuration);
builder.Services.AddCorsPolicies(builder.Configuration);
builder.Services.AddApiRateLimits(builder.Configuration);
builder.Services.AddSingleton(ServiceBuild.Current);
builder.Services.AddOptions<CachingOptions>().Bind(builder.Configuration.GetSection(CachingOptions.Section));
builder.Services.AddOptions<LinkJ.Api.Formats.ExportOptions>().Bind(builder.Configuration.GetSection(LinkJ.Api.Formats.ExportOptions.Section))
    .Validate(exports => exports.PageSize is >= 1 and <= LinkJ.Application.Common.Paging.PageLimits.Max,
        $"Exports:PageSize must be 1 to {LinkJ.Application.Common.Paging.PageLimits.Max}.")
    .ValidateOnStart();
builder.Services.AddScoped<LinkJ.Application.Abstractions.ILanguageContext, LanguageNegotiation.Context>();
builder.Services.AddScoped<LinkJ.Application.Webhooks.IWebhookResourceReader, LinkJ.Api.Endpoints.Webhooks.WebhookResourceReader>();
builder.Services.AddApiDocumentation();
// The partnerships page is a Razor component rendered on the server, without interactivity (ADR 0039).
builder.Services.AddRazorComponents();
// Japanese as UTF-8 text, not a numeric reference per character (3x the bytes); markup characters are still encoded.
builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
    options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
builder.Services.AddQueryAllowList();
builder.Services.AddSingleton(PublicBaseUrl.From(builder.Configuration));

// Graceful shutdown: on SIGTERM the server stops accepting connections at once and lets in-flight requests finish for
// up to this long — longer than a request can take (connect + command timeouts), shorter than an orchestrator's grace
// period. Set with ShutdownTimeoutSeconds, the host's own key for it.
builder.Services.Configure<HostOptions>(options =>
    options.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("ShutdownTimeoutSeconds", 25)));

var app = builder.Build();

// First, then routing where the host would put it itself: the warm-up runs the rest of the pipeline in process (ADR 0052).
WarmUpPipeline.UseWarmUpCapture(app);
app.UseRouting();
app.UseReverseProxySupport();
app.UseSecurityHeaders();
app.UseObservability();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestBodyLimit();
app.UseCors();
app.UseMiddleware<DatabaseFailFast>();
app.UseAuthFailureLimit();
app.UseAuthentication();
app.UseApiRateLimits();
app.UseQueryAllowList();
app.UseLanguageNegotiation();
// Before the cache: a read that needs a key (the change feed, histories) is never answered, not even 304, without one.
app.UseAuthorization();
app.UseMiddleware<PublicReadCache>();

if (app.Configuration.GetValue("Swagger:Enabled", defaultValue: true))
{
    app.MapGet(ContractDocument.Path, (ContractDocument document) => Results.Text(document.Json, "application/json; charset=utf-8"))
        .ExcludeFromDescription();
    // Swagger UI and ReDoc only see requests under /swagger (their own prefixes): the API's reads do not pay their path checks.
    app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger"), swagger =>
    {
        swagger.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint(ContractDocument.Path, "LinkJ.Api v1");
            options.DocumentTitle = "LinkJ.Api — LINK-J partners and agreements";
        });
        // A reference to read (ReDoc, its script served from the package itself), next to Swagger UI to try things in.
        swagger.UseReDoc(options =>
        {
            options.RoutePrefix = "swagger/reference";
            options.SpecUrl = ContractDocument.Path;
            options.DocumentTitle = "LinkJ.Api reference — LINK-J partners and agreements";
            options.ConfigObject.ExpandResponses = "200,201";
        });
    });
    app.MapGet("/", () => Results.Content(LandingPage.Html, "text/html; charset=utf-8")).ExcludeFromDescription();
}

app.MapHealth();
app.MapPartners();
app.MapPartnerWrites();
app.MapAgreements();
app.MapAgreementWrites();
app.MapAgreementDocuments();
app.MapCooperationScopes();
app.MapStats();
app.MapChanges();
LinkJ.Api.Endpoints.Webhooks.WebhookEndpoints.MapWebhooks(app);
LinkJ.Api.Pages.PartnershipsPage.MapPartnershipsPage(app);

await app.RunAsync();
return 0;

/// <summary>The entry point; public so that the integration tests can host the whole pipeline.</summary>
public partial class Program;
