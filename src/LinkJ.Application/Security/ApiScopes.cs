namespace LinkJ.Application.Security;

/// <summary>
/// What an API key may do. Public reads need no key; every write needs one with the right scope, and so do the reads
/// for internal systems (the change feed and the histories, which name the key behind every write).
/// </summary>
public static class ApiScopes
{
    public const string PartnersWrite = "partners:write";
    public const string AgreementsWrite = "agreements:write";

    /// <summary>Read the change feed and the histories.</summary>
    public const string SyncRead = "sync:read";

    /// <summary>Manage webhook subscriptions: create, change, rotate secrets, read deliveries, redeliver (ADR 0035).</summary>
    public const string WebhooksManage = "webhooks:manage";

    /// <summary>Everything, including what the other scopes allow.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [PartnersWrite, AgreementsWrite, SyncRead, WebhooksManage, Admin];
}
