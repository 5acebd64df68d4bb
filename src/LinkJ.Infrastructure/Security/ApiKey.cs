namespace LinkJ.Infrastructure.Security;

/// <summary>
/// A client's API key. Only a SHA-256 hash of the key is stored: the key itself is shown once, when it is created.
/// The <see cref="Prefix"/> (part of the key) finds the record; the hash is then compared in constant time.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; init; }

    /// <summary>Who holds the key, e.g. <c>crm-sync</c>; shown in the history of the records it changes.</summary>
    public required string Name { get; init; }

    public required string Prefix { get; init; }

    public required byte[] Hash { get; init; }

    public required string[] Scopes { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
