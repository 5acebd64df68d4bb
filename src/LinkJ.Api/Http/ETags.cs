using System.Globalization;
using LinkJ.Api.Errors;

namespace LinkJ.Api.Http;

/// <summary>
/// A resource's ETag is its version: <c>"v3"</c>. Writes to an existing resource must send it back in <c>If-Match</c>:
/// missing → 428, malformed → 400, stale → 412 with the current ETag.
/// </summary>
public static class ETags
{
    public static string For(int version) => "\"v" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    public static void SetETag(this HttpContext http, int version) => http.Response.Headers.ETag = For(version);

    /// <summary>The version named by the request's If-Match, or a problem.</summary>
    public static int RequiredIfMatch(this HttpRequest request) =>
        request.OptionalIfMatch() ?? throw new ApiProblemException(StatusCodes.Status428PreconditionRequired, "precondition.required",
            "This write needs If-Match with the ETag you read (e.g. If-Match: \"v3\"), so that it cannot overwrite a change you have not seen.");

    /// <summary>The version named by the request's If-Match; null when there is none; a problem when it is malformed.</summary>
    public static int? OptionalIfMatch(this HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0)
        {
            return null;
        }

        if (header.StartsWith("W/", StringComparison.Ordinal))
        {
            header = header[2..];
        }

        // "v3" from a write, or "v3.<representation>" from a read: the version is what a write is checked against.
        if (header.Length > 3 && header[0] == '"' && header[^1] == '"' && header[1] == 'v')
        {
            var inner = header.AsSpan(2, header.Length - 3);
            var dot = inner.IndexOf('.');
            if (int.TryParse(dot < 0 ? inner : inner[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
            {
                return version;
            }
        }

        throw new ApiProblemException(StatusCodes.Status400BadRequest, "precondition.malformed",
            "If-Match must be one ETag this service issued, e.g. \"v3\".");
    }
}
