using System.Text.Json;
using System.Text.Json.Nodes;
using LinkJ.Api.Errors;
using Microsoft.Net.Http.Headers;

namespace LinkJ.Api.Http;

public static class MergePatchBody
{
    public const string MediaType = "application/merge-patch+json";

    /// <summary>The request's JSON Merge Patch (RFC 7396): 415 for another media type, 400 for anything but a JSON object.</summary>
    public static async Task<JsonObject> ReadMergePatchAsync(this HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType.Value != MediaType)
        {
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType,
                $"Send the patch as {MediaType} (RFC 7396): the members to change, null for those to remove.");
        }

        return await ReadObjectAsync(request, "A merge patch is a JSON object.", cancellationToken);
    }

    /// <summary>A JSON object body sent as application/json.</summary>
    public static async Task<JsonObject> ReadJsonObjectAsync(this HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType.Value != "application/json")
        {
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType, "Send the body as application/json.");
        }

        return await ReadObjectAsync(request, "The body must be a JSON object.", cancellationToken);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpRequest request, string notAnObject, CancellationToken cancellationToken)
    {
        JsonNode? patch;
        try
        {
            patch = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = RequestLimits.MaxJsonDepth, AllowDuplicateProperties = false }, cancellationToken: cancellationToken);
            UnicodeText.EnsureWellFormed(patch);
        }
        catch (JsonException)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, ProblemCodes.MalformedRequest, "The body is not valid JSON.");
        }
        catch (InvalidOperationException)
        {
            // A member name of invalid UTF-8 passes the parser and fails when first read.
            throw new ApiProblemException(StatusCodes.Status400BadRequest, ProblemCodes.MalformedRequest, UnicodeText.Malformed);
        }

        return patch as JsonObject
            ?? throw new ApiProblemException(StatusCodes.Status400BadRequest, ProblemCodes.MalformedRequest, notAnObject);
    }
}
