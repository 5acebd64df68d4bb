using System.Runtime.CompilerServices;

namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>Settings every host the suite starts shares, whichever factory builds it.</summary>
internal static class TestDefaults
{
    /// <summary>
    /// No start-up warm-up (ADR 0052) in the suite's hosts: dozens of them live at once on one PostgreSQL
    /// (max_connections 100), and a warm-up's reads would fill the read cache and the statement counts tests start from.
    /// <see cref="Health.WarmUpTests"/> turn it on for hosts of their own.
    /// </summary>
    [ModuleInitializer]
    internal static void Apply()
    {
        Environment.SetEnvironmentVariable("WarmUp__Enabled", "false");
        Environment.SetEnvironmentVariable("WarmUp__Connections", "0");
    }
}
