using System.Globalization;
using LinkJ.Api.Errors;
using LinkJ.Application.Common;

namespace LinkJ.Api.Http;

/// <summary>
/// A resource's ETag is its version: <c>"v3"</c>. Writes to an existing resource must send it back in <c>If-Match</c>
/// (or <c>*</c>, or a list of tags): missing → 428, malformed → 400, stale → 412 with the current ETag.
/// </summary>
public static class ETags
{
    public static string For(int version) => "\"v" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    public static void SetETag(this HttpContext http, int version) => http.Response.Headers.ETag = For(version);

    /// <summary>
    /// The domain's version errors as HTTP says them: the domain speaks of versions, HTTP of If-Match and ETags, with
    /// the codes clients already branch on (<c>precondition.*</c>). Other errors are returned as they are.
    /// </summary>
    public static LinkJ.Domain.Common.Error InHttpWords(LinkJ.Domain.Common.Error error) => error.Code switch
    {
        "version.none-current" => error with
        {
            Code = "precondition.no-current-version",
            Message = "If-Match names a version, but there is no such record yet: send the first call without If-Match.",
        },
        "version.required" => error with
        {
            Code = "precondition.required",
            Message = "This write would change an existing record: send If-Match with the ETag you read.",
        },
        _ => error,
    };

    /// <summary>What the request's If-Match allows, or a problem.</summary>
    public static VersionCondition RequiredIfMatch(this HttpRequest request) =>
        request.OptionalIfMatch() ?? throw new ApiProblemException(StatusCodes.Status428PreconditionRequired, "precondition.required",
            "This write needs If-Match with the ETag you read (e.g. If-Match: \"v3\"), so that it cannot overwrite a change you have not seen.");

    /// <summary>
    /// What the request's If-Match allows (RFC 9110 §13.1.1); null when there is none; a problem when it is malformed.
    /// <c>*</c> allows any current version; a list of tags allows the version of any of them. The comparison is strong:
    /// a weak tag (<c>W/"v3"</c>) names no version, so a list of weak tags only is stale (412).
    /// </summary>
    public static VersionCondition? OptionalIfMatch(this HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0)
        {
            return null;
        }

        if (header == "*")
        {
            return VersionCondition.Any;
        }

        var versions = new List<int>();
        var at = 0;
        while (true)
        {
            var weak = string.CompareOrdinal(header, at, "W/", 0, 2) == 0;
            if (weak)
            {
                at += 2;
            }

            var close = at < header.Length && header[at] == '"' ? header.IndexOf('"', at + 1) : -1;
            var version = close < 0 ? null : VersionOf(header.AsSpan(at + 1, close - at - 1));
            if (version is null)
            {
                throw Malformed();
            }

            if (!weak)
            {
                versions.Add(version.Value);
            }

            at = close + 1;
            while (at < header.Length && header[at] is ' ' or '\t')
            {
                at++;
            }

            if (at == header.Length)
            {
                return VersionCondition.OneOf(versions);
            }

            if (header[at] != ',')
            {
                throw Malformed();
            }

            at++;
            while (at < header.Length && header[at] is ' ' or '\t')
            {
                at++;
            }
        }
    }

    /// <summary>"v3" from a write, or "v3.&lt;representation&gt;" from a read: the version is what a write is checked against.</summary>
    private static int? VersionOf(ReadOnlySpan<char> opaque)
    {
        if (opaque.Length < 2 || opaque[0] != 'v')
        {
            return null;
        }

        var dot = opaque.IndexOf('.');
        var digits = dot < 0 ? opaque[1..] : opaque[1..dot];
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0 ? version : null;
    }

    private static ApiProblemException Malformed() => new(StatusCodes.Status400BadRequest, "precondition.malformed",
        "If-Match must be * or ETags this service issued, e.g. \"v3\" (a list: \"v3\", \"v4\").");
}
