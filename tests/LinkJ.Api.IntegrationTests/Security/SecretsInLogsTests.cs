using System.Collections.Concurrent;
using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Security;

/// <summary>
/// With every log category at Trace, neither an API key (valid or not) nor the database password reaches the logs,
/// through requests that succeed, fail validation, fail authentication or hit the database.
/// </summary>
public sealed class SecretsInLogsTests(ApiFactory factory) : WriteTest(factory)
{
    private const string Password = "s3cret-db-pass-Zq9";

    [Fact]
    public async Task Logs_WhenRequestsCarryKeysAndTheDatabaseHasAPassword_ShouldContainNeither()
    {
        var logs = new ConcurrentQueue<string>();
        var withPassword = new NpgsqlConnectionStringBuilder(Factory.ConnectionString) { Password = Password }.ConnectionString;
        using var host = Factory.WithWebHostBuilder(builder => builder
            .UseSetting("ConnectionStrings:LinkJ", withPassword)
            .UseSetting("Logging:LogLevel:Default", "Trace")
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace")
            .UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Trace")
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFilter(_ => true).AddProvider(new CollectingLoggerProvider(logs))));
        using var client = host.CreateClient();
        var valid = await CreateKeyAsync("agreements:write");
        var invalid = "lj_0badc0de_" + new string('7', 64);

        using var ok = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", valid, NewAgreement(await PartnerIdAsync())));
        using var bad = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", valid, new { title = new { ja = "" } }));
        using var unknown = await client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", invalid, new { }));
        using var headerKey = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/agreements/not-an-id");
        headerKey.Headers.Add("X-Api-Key", invalid);
        using var deleted = await client.SendAsync(headerKey);

        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var all = string.Join("\n", logs);
        Assert.Contains("ApiKeyAuthenticationHandler", all, StringComparison.Ordinal); // the auth failures were logged, at Trace
        Assert.Contains("Microsoft.EntityFrameworkCore.Database.Command", all, StringComparison.Ordinal); // and the SQL
        Assert.DoesNotContain(valid.Split('_')[2], all, StringComparison.Ordinal);
        Assert.DoesNotContain(invalid.Split('_')[2], all, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, all, StringComparison.Ordinal);
    }

    private sealed class CollectingLoggerProvider(ConcurrentQueue<string> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collecting(categoryName, logs);

        public void Dispose()
        {
        }

        private sealed class Collecting(string category, ConcurrentQueue<string> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                logs.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
