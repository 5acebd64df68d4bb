using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Results;

namespace LinkJ.Application.Common;

/// <summary>JSON Merge Patch (RFC 7396) applied to a resource's input shape, so a patch is checked exactly like a replace.</summary>
public static class MergePatch
{
    /// <summary>How inputs are read and written on the wire: camelCase, and an unknown field is an error.</summary>
    public static readonly JsonSerializerOptions WireOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary><paramref name="current"/> with <paramref name="patch"/> merged in; a field that cannot be read becomes a validation error.</summary>
    public static T Apply<T>(T current, JsonObject patch)
    {
        var merged = Merge(JsonSerializer.SerializeToNode(current, WireOptions), patch);
        try
        {
            return merged.Deserialize<T>(WireOptions) ?? throw new JsonException("The patch removed everything.");
        }
        catch (JsonException exception)
        {
            var path = string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path;
            throw new ValidationException([new ValidationFailure(path, "Unknown field, a value of the wrong type, or null where a value is required.")]);
        }
    }

    /// <summary>RFC 7396 §2: objects merge member by member, null removes a member, anything else replaces.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Merge(result[name], value);
            }
        }

        return result;
    }
}
