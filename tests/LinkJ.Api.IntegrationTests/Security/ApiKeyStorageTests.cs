using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Security;

/// <summary>API keys are shown once and stored only as SHA-256 hashes: a copy of the database gives no usable key.</summary>
public sealed class ApiKeyStorageTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task CreateKey_WhenStored_ShouldKeepOnlyItsPrefixAndHashNeverTheSecret()
    {
        var key = await CreateKeyAsync("agreements:write");
        var secret = key.Split('_')[2];

        var stored = await Factory.ScalarAsync<string>("SELECT string_agg(t::text || encode(t.hash, 'hex'), '|') FROM api_keys t");

        Assert.Contains(key.Split('_')[1], stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))), stored, StringComparison.Ordinal);
    }
}
