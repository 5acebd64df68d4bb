using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LinkJ.Application.Security;
using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Infrastructure.Security;

/// <summary>Creates, lists, revokes and checks API keys of the form <c>lj_&lt;8 hex&gt;_&lt;64 hex&gt;</c> (256 random bits).</summary>
public sealed partial class ApiKeyService(AppDbContext db, TimeProvider time) : ICalendarFeedTokens, LinkJ.Application.Security.IApiKeys
{
    /// <summary>How often "last used" is written at most, so that a busy key does not cost a write per request.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public sealed record CreatedKey(ApiKey Record, string Key);

    public async Task<CreatedKey> CreateAsync(string name, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new ArgumentException("A key needs a name of 1 to 100 characters.", nameof(name));
        }

        var unknown = scopes.Except(ApiScopes.All).ToList();
        if (scopes.Count == 0 || unknown.Count > 0)
        {
            throw new ArgumentException($"Scopes must be some of: {string.Join(", ", ApiScopes.All)}.", nameof(scopes));
        }

        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var key = $"lj_{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}";
        var record = new ApiKey
        {
            Id = Guid.NewGuid(),
            Name = name.Trim(),
            Prefix = prefix,
            Hash = HashOf(key),
            Scopes = [.. scopes.Distinct()],
            CreatedAt = time.GetUtcNow(),
        };
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedKey(record, key);
    }

    public Task<List<ApiKey>> ListAsync(CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);

    /// <summary>Revokes the key with this prefix; false when there is none.</summary>
    public async Task<bool> RevokeAsync(string prefix, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        if (key is null)
        {
            return false;
        }

        key.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The live key that <paramref name="presented"/> is, or null; records when it was used.</summary>
    public async Task<ApiKey?> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        var match = KeyFormat().Match(presented);
        if (!match.Success)
        {
            return null;
        }

        var prefix = match.Groups[1].Value;
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        if (key is null || key.RevokedAt is not null || !CryptographicOperations.FixedTimeEquals(key.Hash, HashOf(presented)))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt > LastUsedResolution)
        {
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        return key;
    }

    /// <summary>
    /// The calendar feed token of a key (ADR 0036): <c>ljcal_&lt;prefix&gt;_&lt;64 hex&gt;</c>, the hex an HMAC-SHA256 of a fixed
    /// label keyed with the SHA-256 of the key (what is stored). Derived, never stored: it lives and dies with its key
    /// (revoke the key and its token fails), it is not the key (it opens the calendar and nothing else, and the key
    /// cannot be got back from it), and its holder can compute it from the key.
    /// </summary>
    public static string FeedTokenOf(ApiKey key) => $"ljcal_{key.Prefix}_{Convert.ToHexStringLower(FeedMac(key.Hash))}";

    /// <summary>The live key whose feed token <paramref name="presented"/> is, or null; compared in constant time.</summary>
    public async Task<ApiKey?> AuthenticateFeedTokenAsync(string? presented, CancellationToken cancellationToken)
    {
        if (presented is null || FeedTokenFormat().Match(presented) is not { Success: true } match)
        {
            return null;
        }

        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Prefix == match.Groups[1].Value, cancellationToken);
        return key is null || key.RevokedAt is not null
               || !CryptographicOperations.FixedTimeEquals(FeedMac(key.Hash), Convert.FromHexString(match.Groups[2].Value))
            ? null
            : key;
    }

    string? ICalendarFeedTokens.PrefixOf(string? token) => PrefixOfFeedToken(token);

    async Task<bool> ICalendarFeedTokens.IsValidAsync(string? token, CancellationToken cancellationToken) =>
        await AuthenticateFeedTokenAsync(token, cancellationToken) is not null;

    /// <summary>The prefix of a feed token in its format, or null.</summary>
    public static string? PrefixOfFeedToken(string? presented) =>
        presented is not null && FeedTokenFormat().Match(presented) is { Success: true } match ? match.Groups[1].Value : null;

    private static byte[] FeedMac(byte[] keyHash) => HMACSHA256.HashData(keyHash, "linkj calendar feed v1"u8);

    [GeneratedRegex("^ljcal_([0-9a-f]{8})_([0-9a-f]{64})$", RegexOptions.CultureInvariant)]
    private static partial Regex FeedTokenFormat();

    async Task<LinkJ.Application.Security.AuthenticatedKey?> LinkJ.Application.Security.IApiKeys.AuthenticateAsync(string presented, CancellationToken cancellationToken) =>
        await AuthenticateAsync(presented, cancellationToken) is { } key ? new(key.Name, key.Prefix, key.Scopes) : null;

    /// <summary>The prefix of a key in the service's format (<c>lj_&lt;prefix&gt;_…</c>), or null.</summary>
    public static string? PrefixOf(string presented) => LinkJ.Application.Security.ApiKeyFormat.PrefixOf(presented);

    private static byte[] HashOf(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    [GeneratedRegex("^lj_([0-9a-f]{8})_[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyFormat();
}
