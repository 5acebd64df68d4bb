using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace LinkJ.Infrastructure.Webhooks;

/// <summary>
/// Signing secrets: <c>whsec_</c> and 32 random bytes in base64 (the Standard Webhooks form), stored encrypted with ASP.NET
/// Core Data Protection, whose keys every replica reads from PostgreSQL.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("LinkJ.Webhooks.SigningSecret.v1");

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string stored) => _protector.Unprotect(stored);
}
