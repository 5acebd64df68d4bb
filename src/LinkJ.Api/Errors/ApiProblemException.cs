namespace LinkJ.Api.Errors;

/// <summary>A failure of the HTTP contract itself (a missing or malformed header), reported as problem details.</summary>
public sealed class ApiProblemException(int status, string code, string detail, IReadOnlyDictionary<string, string[]>? errors = null) : Exception(detail)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    /// <summary>What is wrong, by parameter or field, when there is more to say than the detail.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;
}
