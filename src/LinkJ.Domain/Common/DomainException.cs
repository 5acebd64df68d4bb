namespace LinkJ.Domain.Common;

/// <summary>Thrown when a domain rule is broken. Carries the catalogued <see cref="Error"/>.</summary>
public sealed class DomainException(Error error) : Exception(error.Message)
{
    public Error Error { get; } = error;
}
