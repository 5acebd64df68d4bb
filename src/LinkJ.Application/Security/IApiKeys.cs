namespace LinkJ.Application.Security;

/// <summary>The API keys as the request pipeline checks them: only a hash of each key is stored (Infrastructure).</summary>
public interface IApiKeys
{
    /// <summary>The live key that <paramref name="presented"/> is, or null when it is malformed, unknown or revoked.</summary>
    Task<AuthenticatedKey?> AuthenticateAsync(string presented, CancellationToken cancellationToken);
}

/// <summary>A key that authenticated: who holds it (<paramref name="Name"/>), its <paramref name="Prefix"/> and its scopes.</summary>
public sealed record AuthenticatedKey(string Name, string Prefix, IReadOnlyList<string> Scopes);

/// <summary>The form of an API key: <c>lj_&lt;8 hex prefix&gt;_&lt;64 hex&gt;</c>. The prefix finds the stored hash and names the key in logs and budgets.</summary>
public static partial class ApiKeyFormat
{
    /// <summary>The prefix of a key in the service's format, or null when <paramref name="presented"/> is not one.</summary>
    public static string? PrefixOf(string presented) => Key().Match(presented) is { Success: true } match ? match.Groups[1].Value : null;

    [System.Text.RegularExpressions.GeneratedRegex("^lj_([0-9a-f]{8})_[0-9a-f]{64}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Key();
}
