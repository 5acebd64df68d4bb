using System.Text.Json.Nodes;

namespace LinkJ.Api.IntegrationTests.Infrastructure.Contract;

/// <summary>
/// The document as a reader sees it in Swagger UI: every shared part (components/parameters, responses, headers and
/// examples) put back where it is referred to, a media type's one named example given as its <c>example</c>, and the
/// document's security and a path item's parameters written on each of its operations.
/// Schemas stay references. Lets tests look at an operation without following $refs themselves.
/// </summary>
public static class OpenApiRefs
{
    private static readonly string[] Inlined = ["#/components/parameters/", "#/components/responses/", "#/components/headers/", "#/components/examples/"];

    public static JsonNode Inline(JsonNode document)
    {
        var copy = document.DeepClone();
        copy["paths"] = Resolve(document, copy["paths"]);

        // Parameters said once on the path item belong to each of its operations (after the operation's own).
        foreach (var (_, item) in copy["paths"]!.AsObject())
        {
            if (item!.AsObject()["parameters"] is not JsonArray shared)
            {
                continue;
            }

            item.AsObject().Remove("parameters");
            foreach (var operation in item.AsObject().Select(o => o.Value).OfType<JsonObject>())
            {
                var own = operation["parameters"] as JsonArray ?? [];
                operation["parameters"] = own;
                foreach (var parameter in shared.Where(s => !own.Any(o => o?["name"]?.GetValue<string>() == s?["name"]?.GetValue<string>()
                                                                      && o?["in"]?.GetValue<string>() == s?["in"]?.GetValue<string>())))
                {
                    own.Add(parameter!.DeepClone());
                }
            }
        }

        // The document's own security applies to every operation that does not say otherwise (public ones say `[]`).
        if (document["security"] is JsonArray security)
        {
            foreach (var operation in copy["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()).Select(o => o.Value).OfType<JsonObject>())
            {
                operation["security"] ??= security.DeepClone();
            }
        }

        return copy;
    }

    private static JsonNode? Resolve(JsonNode document, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when obj["$ref"]?.GetValue<string>() is { } reference && Inlined.Any(reference.StartsWith):
                var parts = reference[2..].Split('/');
                var target = parts.Aggregate((JsonNode?)document, (n, part) => n?[part])
                    ?? throw new InvalidOperationException($"The document's {reference} leads nowhere.");
                return Resolve(document, target.DeepClone());
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    result[key] = Resolve(document, value?.DeepClone());
                }

                if (result["examples"] is JsonObject { Count: 1 } examples && result["example"] is null && result.ContainsKey("schema"))
                {
                    result["example"] = examples.First().Value?["value"]?.DeepClone();
                }

                return result;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => Resolve(document, item?.DeepClone()))]);
            default:
                return node?.DeepClone();
        }
    }
}
