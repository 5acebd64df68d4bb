using System.Text.Json.Nodes;
using LinkJ.Api.Endpoints;
using LinkJ.Domain.Documents;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinkJ.Api.OpenApi;

/// <summary>What the document operations add to the generated description: the upload's form and the download's bytes (ADR 0038).</summary>
internal static class DocumentDocs
{
    private static OpenApiSchema Text(int maxLength) => new() { Type = JsonSchemaType.String, MaxLength = maxLength };

    private static OpenApiSchema Enum(params string[] values) => new() { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v)!)] };

    private static OpenApiSchema Binary => new() { Type = JsonSchemaType.String, Format = "binary", MaxLength = (int)AgreementDocument.MaxFileBytes };

    private static OpenApiHeader Header(string description, string example) => new()
    {
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 500 },
        Example = JsonValue.Create(example),
    };

    public static void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<DocumentUploadMetadata>().Any() && operation.RequestBody?.Content is { } bodies)
        {
            bodies[AgreementDocumentEndpoints.Multipart] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "kind", "titleJa", "language", "file" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["kind"] = Enum("press-release", "signed-mou", "annex"),
                        ["titleJa"] = Text(AgreementDocument.MaxTitleLength),
                        ["titleEn"] = Text(AgreementDocument.MaxTitleLength),
                        ["language"] = Enum("ja", "en"),
                        ["visibility"] = Enum("public", "internal"),
                        ["sha256"] = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9a-fA-F]{64}$" },
                        ["file"] = Binary,
                    },
                },
            };
        }

        if (metadata.OfType<DocumentUploadMetadata>().Any() && context.SchemaRepository.Schemas.TryGetValue("LinkDocumentInput", out var link)
            && link is OpenApiSchema { Properties: { } properties } linkSchema)
        {
            // What the service checks, so that clients (and the contract fuzzer) know it.
            void Set(string name, Action<OpenApiSchema> change)
            {
                if (properties.TryGetValue(name, out var property) && property is OpenApiSchema concrete)
                {
                    change(concrete);
                }
            }

            linkSchema.Required = new HashSet<string> { "kind", "title", "language", "url" };
            Set("kind", p => p.Enum = Enum("press-release", "signed-mou", "annex").Enum);
            Set("language", p => p.Enum = Enum("ja", "en").Enum);
            Set("visibility", p => p.Enum = Enum("public", "internal").Enum);
            Set("url", p => (p.Format, p.MaxLength) = ("uri", AgreementDocument.MaxUrlLength));
            Set("mediaType", p => (p.Pattern, p.MaxLength) = ("^[A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+$", AgreementDocument.MaxMediaTypeLength));
            Set("sha256", p => p.Pattern = "^[0-9a-fA-F]{64}$");
        }

        if (!metadata.OfType<DocumentContentMetadata>().Any() || operation.Responses is null)
        {
            return;
        }

        var bytes = new Dictionary<string, OpenApiMediaType>
        {
            ["application/pdf"] = new() { Schema = Binary },
            ["image/*"] = new() { Schema = Binary },
        };
        // The rate-limit headers every response documents (DocumentHeaders put them on the others).
        var common = new[] { "RateLimit", "RateLimit-Policy" }
            .Select(name => operation.Responses.Values.OfType<OpenApiResponse>().SelectMany(r => r.Headers ?? new Dictionary<string, IOpenApiHeader>())
                .FirstOrDefault(h => h.Key == name))
            .Where(h => h.Value is not null).ToList();
        var etag = Header("The SHA-256 of the bytes, quoted.", "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"");
        var disposition = Header("The file's name (RFC 6266), in UTF-8 as filename*.", "attachment; filename=\"_.pdf\"; filename*=UTF-8''%E8%A6%9A%E6%9B%B8.pdf");
        var ranges = Header("Ranges of bytes may be asked for.", "bytes");
        // Public documents: public, max-age=3600; internal ones: private, no-cache (they vary by the key, see Vary).
        var cacheControl = Header("`public, max-age=3600` for a public document, `private, no-cache` for an internal one.", "public, max-age=3600");
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "The bytes.",
            Content = bytes,
            Headers = new Dictionary<string, IOpenApiHeader>(common) { ["ETag"] = etag, ["Cache-Control"] = cacheControl, ["Content-Disposition"] = disposition, ["Accept-Ranges"] = ranges },
        };
        operation.Responses["206"] = new OpenApiResponse
        {
            Description = "Partial Content: the range asked for.",
            Content = bytes,
            Headers = new Dictionary<string, IOpenApiHeader>(common)
            {
                ["ETag"] = etag,
                ["Cache-Control"] = cacheControl,
                ["Content-Range"] = Header("Which bytes of how many.", "bytes 0-1023/48213"),
            },
        };
        // A range outside the file: the file result's 416 keeps the document's headers.
        if (operation.Responses.TryGetValue("416", out var outside) && outside is OpenApiResponse unsatisfiable)
        {
            unsatisfiable.Headers ??= new Dictionary<string, IOpenApiHeader>();
            unsatisfiable.Headers["ETag"] = etag;
            unsatisfiable.Headers["Cache-Control"] = cacheControl;
        }

        operation.Responses["303"] = new OpenApiResponse
        {
            Description = "See Other: the document is a link; Location is its URL.",
            Headers = new Dictionary<string, IOpenApiHeader> { ["Location"] = Header("The link's URL.", "https://www.link-j.org/"), ["Cache-Control"] = cacheControl },
        };
    }
}
