namespace LinkJ.Domain.Common;

/// <summary>
/// A client system's own id for a record (<c>crm</c> + <c>A-1024</c>): a client that upserts by it never creates a
/// duplicate, however often it retries.
/// </summary>
public sealed record ExternalReference
{
    public const int MaxIdLength = 200;

    private ExternalReference(string source, string id)
    {
        Source = source;
        Id = id;
    }

    /// <summary>The client system, a slug such as <c>crm</c> or <c>member-db</c>.</summary>
    public string Source { get; private init; }

    /// <summary>The record's id in that system.</summary>
    public string Id { get; private init; }

    public static ExternalReference Create(string? source, string? id)
    {
        Guard.That(source is not null && source.Length <= 40 && Slug.IsValid(source), InvalidSource);
        var trimmed = Guard.OptionalText(id, MaxIdLength);
        Guard.That(trimmed is not null && trimmed == id, InvalidId);
        return new ExternalReference(source!, trimmed!);
    }

    public static readonly Error InvalidSource =
        new("external-ref.invalid-source", "The source is a slug of at most 40 characters, e.g. crm.", ErrorKind.Validation);

    public static readonly Error InvalidId =
        new("external-ref.invalid-id", $"The external id is 1 to {MaxIdLength} characters, without surrounding spaces or control characters.", ErrorKind.Validation);
}
