using System.Net.Sockets;
using LinkJ.Application.Abstractions;
using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LinkJ.Api.IntegrationTests.Faults;

/// <summary>The circuit's states and which failures count as an unavailable database, without a database.</summary>
public sealed class DatabaseCircuitTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static (DatabaseCircuit Circuit, ManualClock Clock) NewCircuit(int failuresBeforeFailFast = 1)
    {
        var clock = new ManualClock();
        var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=none;Username=none");
        var options = Options.Create(new DatabaseOptions { FailFastSeconds = 1, FailuresBeforeFailFast = failuresBeforeFailFast });
        return (new DatabaseCircuit(dataSource, clock, options, NullLogger<DatabaseCircuit>.Instance), clock);
    }

    [Fact]
    public void TryEnter_WhenClosed_ShouldLetEveryRequestThroughWithoutProbing()
    {
        var (circuit, _) = NewCircuit();

        Assert.True(circuit.TryEnter(out var probe));
        Assert.False(probe);
        Assert.False(circuit.IsOpen);
    }

    [Fact]
    public void TryEnter_WhenAFailureOpenedIt_ShouldFailFastUntilTheWindowEndsThenLetOneProbeThrough()
    {
        var (circuit, clock) = NewCircuit();
        circuit.Failed();

        Assert.False(circuit.TryEnter(out _));
        clock.Now += TimeSpan.FromSeconds(1.1);
        Assert.True(circuit.TryEnter(out var probe));
        Assert.True(probe);
        Assert.False(circuit.TryEnter(out _)); // the others still fail fast while the probe runs
    }

    [Fact]
    public void Succeeded_WhenTheProbeGetsThrough_ShouldCloseTheCircuit()
    {
        var (circuit, clock) = NewCircuit();
        circuit.Failed();
        clock.Now += TimeSpan.FromSeconds(2);
        Assert.True(circuit.TryEnter(out _));

        circuit.Succeeded(probe: true);

        Assert.False(circuit.IsOpen);
        Assert.True(circuit.TryEnter(out var probe));
        Assert.False(probe);
    }

    [Fact]
    public void Failed_WhenSuccessesComeBetweenFailures_ShouldKeepTheCircuitClosedUntilEnoughFailInARow()
    {
        var (circuit, _) = NewCircuit(failuresBeforeFailFast: 3);

        circuit.Failed();
        circuit.Failed();
        circuit.Succeeded(probe: false); // e.g. one slow command timed out among working ones
        circuit.Failed();
        circuit.Failed();
        Assert.False(circuit.IsOpen);

        circuit.Failed();
        Assert.True(circuit.IsOpen);
        Assert.False(circuit.TryEnter(out _));
    }

    [Fact]
    public void Succeeded_WhenARequestFromBeforeTheOutageEndsWell_ShouldKeepTheCircuitOpen()
    {
        var (circuit, _) = NewCircuit();
        circuit.Failed();

        circuit.Succeeded(probe: false);

        Assert.True(circuit.IsOpen);
        Assert.False(circuit.TryEnter(out _));
    }

    [Fact]
    public void Failed_WhenTheProbeFails_ShouldFailFastForAnotherWindow()
    {
        var (circuit, clock) = NewCircuit();
        circuit.Failed();
        clock.Now += TimeSpan.FromSeconds(2);
        Assert.True(circuit.TryEnter(out _));

        circuit.Failed();

        Assert.False(circuit.TryEnter(out _));
        clock.Now += TimeSpan.FromSeconds(1.1);
        Assert.True(circuit.TryEnter(out var probe));
        Assert.True(probe);
    }

    [Fact]
    public void Abandoned_WhenTheProbeGaveUp_ShouldLetTheNextRequestProbe()
    {
        var (circuit, clock) = NewCircuit();
        circuit.Failed();
        clock.Now += TimeSpan.FromSeconds(2);
        Assert.True(circuit.TryEnter(out _));

        circuit.Abandoned();

        Assert.True(circuit.TryEnter(out var probe));
        Assert.True(probe);
    }

    public static TheoryData<string, Exception, bool> Failures => new()
    {
        { "connection refused", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), true },
        { "connect or pool timeout", new NpgsqlException("The operation has timed out", new TimeoutException()), true },
        { "broken connection", new NpgsqlException("Exception while reading from stream", new EndOfStreamException()), true },
        { "server shutting down", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown), true },
        { "server starting up", new PostgresException("the database system is starting up", "FATAL", "FATAL", PostgresErrorCodes.CannotConnectNow), true },
        { "too many connections", new PostgresException("too many clients", "FATAL", "FATAL", PostgresErrorCodes.TooManyConnections), true },
        { "wrapped by EF Core", new DbUpdateException("save failed", new NpgsqlException("Exception while writing to stream", new IOException())), true },
        { "fail-fast", new DatabaseUnavailableException(), true },
        { "unique violation", new DbUpdateException("save failed", new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)), false },
        { "syntax error", new PostgresException("syntax error", "ERROR", "ERROR", PostgresErrorCodes.SyntaxError), false },
        { "client went away", new OperationCanceledException("cancelled", new NpgsqlException("cancelled", new TimeoutException())), false },
        { "a bug", new InvalidOperationException("no"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void IsUnavailable_WhenGivenAFailure_ShouldTellAnUnavailableDatabaseFromEverythingElse(string name, Exception exception, bool unavailable)
    {
        Assert.True(DatabaseFailures.IsUnavailable(exception) == unavailable, name);
    }

    [Fact]
    public void WithConnectionDefaults_WhenTheConnectionStringSetsNone_ShouldBoundWaitsAndKeepPreparedStatements()
    {
        var bounded = new NpgsqlConnectionStringBuilder(LinkJ.Infrastructure.DependencyInjection.WithConnectionDefaults(
            "Host=db;Database=linkj;Username=linkj", new DatabaseOptions { ConnectTimeoutSeconds = 5, CommandTimeoutSeconds = 10 }));

        Assert.Equal(5, bounded.Timeout);
        Assert.Equal(10, bounded.CommandTimeout);
        Assert.True(bounded.NoResetOnClose);
        Assert.Equal(64, bounded.MaxAutoPrepare);
        Assert.Equal("-c jit=off", bounded.Options); // ADR 0047
    }

    [Fact]
    public void WithConnectionDefaults_WhenTheConnectionStringHasOptions_ShouldAddJitOffUnlessItSetsJit()
    {
        var added = new NpgsqlConnectionStringBuilder(LinkJ.Infrastructure.DependencyInjection.WithConnectionDefaults(
            "Host=db;Database=linkj;Username=linkj;Options=-c statement_timeout=5000", new DatabaseOptions()));
        var kept = new NpgsqlConnectionStringBuilder(LinkJ.Infrastructure.DependencyInjection.WithConnectionDefaults(
            "Host=db;Database=linkj;Username=linkj;Options=-c jit=on", new DatabaseOptions()));

        Assert.Equal("-c statement_timeout=5000 -c jit=off", added.Options);
        Assert.Equal("-c jit=on", kept.Options);
    }

    [Fact]
    public void WithConnectionDefaults_WhenTheConnectionStringSetsThem_ShouldKeepItsOwn()
    {
        var kept = new NpgsqlConnectionStringBuilder(LinkJ.Infrastructure.DependencyInjection.WithConnectionDefaults(
            "Host=db;Database=linkj;Username=linkj;Timeout=30;Command Timeout=60;No Reset On Close=false;Max Auto Prepare=0", new DatabaseOptions()));

        Assert.Equal(30, kept.Timeout);
        Assert.Equal(60, kept.CommandTimeout);
        Assert.False(kept.NoResetOnClose);
        Assert.Equal(0, kept.MaxAutoPrepare);
    }
}
