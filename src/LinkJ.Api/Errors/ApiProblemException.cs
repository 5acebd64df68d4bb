namespace LinkJ.Api.Errors;

/// <summary>A failure of the HTTP contract itself (a missing or malformed header), reported as problem details.</summary>
public sealed class ApiProblemException(int status, string code, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}
