using Microsoft.OpenApi;

namespace LinkJ.Api.OpenApi;

public static class SwaggerSetup
{
    public static IServiceCollection AddApiDocumentation(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSingleton<ContractDocument>();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "LinkJ.Api",
                Version = "v1",
                Description =
                    "The system of record of LINK-J's (Life Science Innovation Network Japan, 一般社団法人ライフサイエンス・イノベーション・" +
                    "ネットワーク・ジャパン) partners and partnership agreements (MOUs) with universities, life-science clusters, " +
                    "foundations, companies and local governments in Japan and abroad. Texts are bilingual ({ja, en}); errors are " +
                    "RFC 9457 problem details with a stable `code`; lists page with an opaque cursor.",
                Contact = new OpenApiContact { Name = "LINK-J", Url = new Uri("https://www.link-j.org/") },
                License = new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://www.link-j.org/") },
            });
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
            options.OperationFilter<OperationDocsFilter>();
            options.OperationFilter<SecurityDocsFilter>();
            options.SchemaFilter<InputLimitsSchemaFilter>();
            options.SchemaFilter<NullableReferenceSchemaFilter>();
            options.AddSecurityDefinition(Security.ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = Security.ApiKeyAuthenticationHandler.HeaderName,
                Description = "An API key with the scope the operation needs (partners:write, agreements:write, sync:read, webhooks:manage, or admin): " +
                              "`scripts/run.sh keys create --name <name> --scopes agreements:write`.",
            });
            foreach (var assembly in new[] { typeof(SwaggerSetup).Assembly, typeof(Application.DependencyInjection).Assembly })
            {
                var xml = Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".xml");
                if (File.Exists(xml))
                {
                    options.IncludeXmlComments(xml);
                }
            }

            options.CustomSchemaIds(type => SchemaId(type));
        });
        return services;
    }

    /// <summary>Readable schema names: <c>Page&lt;AgreementDto&gt;</c> becomes <c>AgreementPage</c>, <c>AgreementDto</c> becomes <c>Agreement</c>.</summary>
    private static string SchemaId(Type type)
    {
        static string Trim(string name) => name.EndsWith("Dto", StringComparison.Ordinal) ? name[..^3] : name;
        if (type.IsGenericType)
        {
            var outer = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
            return string.Concat(type.GetGenericArguments().Select(SchemaId)) + outer;
        }

        return Trim(type.Name);
    }
}
