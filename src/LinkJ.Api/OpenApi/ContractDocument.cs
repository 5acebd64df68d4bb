using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace LinkJ.Api.OpenApi;

/// <summary>
/// The OpenAPI document the service serves at /swagger/v1/swagger.json: Swashbuckle's, shaped by
/// <see cref="ContractShaper"/>, written once and kept (it only changes with the code). docs/openapi/v1.json in the
/// repository is a copy of it, and a test fails when they differ.
/// </summary>
public sealed class ContractDocument(ISwaggerProvider provider)
{
    public const string Path = "/swagger/v1/swagger.json";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // Japanese as itself, not \uXXXX
    };

    private readonly Lazy<string> _json = new(() => Build(provider));

    public string Json => _json.Value;

    private static string Build(ISwaggerProvider provider)
    {
        var document = provider.GetSwagger("v1");
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV3(new OpenApiJsonWriter(text));
        var json = JsonNode.Parse(text.ToString())!.AsObject();
        ContractShaper.Shape(json);
        return json.ToJsonString(Indented) + "\n";
    }
}
