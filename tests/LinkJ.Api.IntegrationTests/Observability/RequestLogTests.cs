using System.Net;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.Observability;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Observability;

/// <summary>The service's JSON log: one line per request with the trace id, and never a secret.</summary>
public sealed class RequestLogTests(ApiFactory factory) : WriteTest(factory)
{
    private const string RequestLogCategory = RequestLog.Category;

    [Theory]
    [InlineData("X-Api-Key")]
    [InlineData("Authorization")]
    public async Task RequestLog_WhenAWriteCarriesAnApiKey_ShouldHaveTheTraceIdAndNeverTheKey(string header)
    {
        var key = await CreateKeyAsync("agreements:write");
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/agreements") { Content = JsonBody(NewAgreement(await PartnerIdAsync())) };
        request.Headers.TryAddWithoutValidation(header, header == "Authorization" ? "ApiKey " + key : key);
        request.Headers.TryAddWithoutValidation("traceparent", Traceparent(traceId));

        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var line = await RequestLogLineAsync(traceId);
        Assert.Equal("POST", line["fields"]!["Method"]!.GetValue<string>());
        Assert.Equal("/api/v1/agreements", line["fields"]!["Path"]!.GetValue<string>());
        Assert.Equal(201, line["fields"]!["StatusCode"]!.GetValue<int>());
        Assert.Equal("test-agreements-write", line["fields"]!["Client"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{16}$", line["spanId"]!.GetValue<string>());
        Assert.DoesNotContain(Factory.Logs.Lines, logged => logged.Contains(key.Split('_')[2], StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequestLog_WhenTheKeyIsWrong_ShouldLogThe401WithoutThePresentedValue()
    {
        var presented = "lj_0123abcd_" + new string('e', 64);
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var request = Request(HttpMethod.Post, "/api/v1/agreements", key: null, NewAgreement(await PartnerIdAsync()));
        request.Headers.TryAddWithoutValidation("X-Api-Key", presented);
        request.Headers.TryAddWithoutValidation("traceparent", Traceparent(traceId));

        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var line = await RequestLogLineAsync(traceId);
        Assert.Equal(401, line["fields"]!["StatusCode"]!.GetValue<int>());
        Assert.Equal("anonymous", line["fields"]!["Client"]!.GetValue<string>());
        Assert.DoesNotContain(Factory.Logs.Lines, logged => logged.Contains(new string('e', 64), StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequestLog_WhenAnAnonymousReadHasAQuery_ShouldLogItsPathStatusAndDurationButNotTheQuery()
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements?q=secret-term-" + traceId);
        request.Headers.TryAddWithoutValidation("traceparent", Traceparent(traceId));

        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var line = await RequestLogLineAsync(traceId);
        Assert.Equal("Information", line["level"]!.GetValue<string>());
        Assert.Equal("GET", line["fields"]!["Method"]!.GetValue<string>());
        Assert.Equal("/api/v1/agreements", line["fields"]!["Path"]!.GetValue<string>());
        Assert.Equal(200, line["fields"]!["StatusCode"]!.GetValue<int>());
        Assert.Equal("anonymous", line["fields"]!["Client"]!.GetValue<string>());
        Assert.InRange(line["fields"]!["Duration"]!.GetValue<double>(), 0.001, 60_000);
        Assert.DoesNotContain(Factory.Logs.Lines, logged => logged.Contains("secret-term-" + traceId, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task RequestLog_WhenAProbeAsks_ShouldNotLogIt(string path)
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var probe = new HttpRequestMessage(HttpMethod.Get, path);
        probe.Headers.TryAddWithoutValidation("traceparent", Traceparent(traceId));
        using (var response = await Client.SendAsync(probe))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // A request after the probe is logged, so the probe's line would be there by now if it had one.
        var marker = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stats");
        read.Headers.TryAddWithoutValidation("traceparent", Traceparent(marker));
        using (await Client.SendAsync(read))
        {
        }

        await RequestLogLineAsync(marker);
        Assert.DoesNotContain(Factory.Logs.Entries, entry =>
            entry["category"]!.GetValue<string>() == RequestLogCategory && entry["traceId"]?.GetValue<string>() == traceId);
    }

    /// <summary>A failing database is logged with its exception, and the connection string's password is in none of it.</summary>
    [Fact]
    public async Task Logs_WhenTheDatabaseIsUnreachable_ShouldNeverContainThePassword()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var unreachable = new NpgsqlConnectionStringBuilder(Factory.ConnectionString)
        {
            Database = "linkj_missing_" + Guid.NewGuid().ToString("N")[..8],
            Password = password,
        };
        await using var withoutDatabase = Factory.WithWebHostBuilder(builder => builder
            .UseSetting("ConnectionStrings:LinkJ", unreachable.ConnectionString)
            .UseSetting("Database:ApplyMigrationsOnStartup", "false")
            .UseSetting("Database:SeedOnStartup", "false"));
        using var client = withoutDatabase.CreateClient();

        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        using (var read = await client.GetAsync("/api/v1/partners"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
        }

        Assert.Contains(Factory.Logs.Entries, entry => entry["level"]!.GetValue<string>() == "Error" && entry["exception"] is not null);
        Assert.DoesNotContain(Factory.Logs.Lines, logged => logged.Contains(password, StringComparison.Ordinal));
    }

    /// <summary>A W3C trace context that continues <paramref name="traceId"/>, so the request's log line can be found by it.</summary>
    private static string Traceparent(string traceId) => $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01";

    private async Task<JsonObject> RequestLogLineAsync(string traceId)
    {
        // The request log is written when the pipeline unwinds, which can be just after the client has the response.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var line = Factory.Logs.Entries.FirstOrDefault(entry =>
                entry["category"]!.GetValue<string>() == RequestLogCategory && entry["traceId"]?.GetValue<string>() == traceId);
            if (line is not null)
            {
                return line;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"No request log line with trace id {traceId}.");
    }
}
