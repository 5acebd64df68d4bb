using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinkJ.Api.OpenApi;

/// <summary>
/// A property of a nullable class type (<c>ExternalReferenceDto? ExternalRef</c>) is a bare <c>$ref</c> in Swashbuckle's
/// OpenAPI 3.0, which cannot carry <c>nullable</c>: the document then says "an object" where the service sends null.
/// Such a property becomes <c>allOf: [$ref]</c> with a mark that <see cref="ContractShaper"/> turns into
/// <c>nullable: true</c>, the OpenAPI 3.0 way to say "this object, or null".
/// </summary>
internal sealed class NullableReferenceSchemaFilter : ISchemaFilter
{
    private static readonly NullabilityInfoContext Nullability = new();

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties: { } properties } || context.Type.IsPrimitive || context.Type == typeof(string))
        {
            return;
        }

        foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!properties.TryGetValue(name, out var propertySchema) || propertySchema is not OpenApiSchemaReference reference)
            {
                continue;
            }

            var nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null
                || (!property.PropertyType.IsValueType && Nullability.Create(property).ReadState == NullabilityState.Nullable);
            if (!nullable)
            {
                continue;
            }

            properties[name] = new OpenApiSchema
            {
                AllOf = [reference],
                Extensions = new Dictionary<string, IOpenApiExtension>
                {
                    [ContractShaper.NullableMark] = new JsonNodeExtension(JsonValue.Create(
                        (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType).IsEnum ? "string" : "object")),
                },
            };
        }
    }
}
