namespace LinkJ.Domain.Common;

/// <summary>How a failed rule should be understood by a caller; the edge (the Api) maps each kind to its own answer, in its own words.</summary>
public enum ErrorKind
{
    /// <summary>The input itself is malformed.</summary>
    Validation,

    /// <summary>The thing asked for does not exist.</summary>
    NotFound,

    /// <summary>The request clashes with the current state.</summary>
    Conflict,

    /// <summary>The input is well-formed but breaks a business rule.</summary>
    BusinessRule,

    /// <summary>The caller's copy is stale: the version it names is not the current one (or there is no record yet).</summary>
    StaleVersion,

    /// <summary>The write would change an existing record but names no version to check against.</summary>
    VersionRequired,

    /// <summary>The content is larger than the service keeps.</summary>
    TooLarge,

    /// <summary>The content is of a kind the service does not keep, judged by its bytes.</summary>
    UnsupportedContent,
}

/// <summary>
/// A named failure with a stable machine-readable <see cref="Code"/> (for example <c>agreement.not-found</c>).
/// Every error the service can report lives in one of the <c>*Errors</c> catalogues.
/// </summary>
/// <param name="Code">Stable code clients can switch on; never changes once published.</param>
/// <param name="Message">Human-readable explanation in English.</param>
/// <param name="Kind">How the failure is classified.</param>
/// <param name="Field">The input field the failure refers to, where there is one.</param>
public sealed record Error(string Code, string Message, ErrorKind Kind, string? Field = null)
{
    /// <summary>For a stale-version error: the resource's current version, which the client needs to retry.</summary>
    public int? CurrentVersion { get; init; }

    /// <summary>The same error, attributed to an input field.</summary>
    public Error ForField(string field) => this with { Field = field };
}
