using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LinkJ.Api.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>
/// Keeps what the test hosts log, each entry written by the service's own <see cref="JsonLogFormatter"/> — the very
/// lines the console would get in production — so tests can read them back as JSON. Bounded to the latest entries.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private const int Capacity = 20_000;
    private static readonly JsonLogFormatter Formatter = new();
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The captured lines, parsed.</summary>
    public IEnumerable<JsonObject> Entries => Lines.Select(line => JsonNode.Parse(line)!.AsObject());

    /// <summary>The entries logged at or after <paramref name="start"/> (by their timestamp, which has milliseconds: the
    /// millisecond before counts too), whatever the capture dropped meanwhile.</summary>
    public IEnumerable<JsonObject> EntriesSince(DateTimeOffset start) => Entries.Where(entry =>
        DateTimeOffset.Parse(entry["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= start.AddMilliseconds(-1));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName, _scopes);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <summary>Hosts come and go (each disposes its providers); the capture lives as long as the factory.</summary>
    public void Dispose()
    {
    }

    private void Add<TState>(in LogEntry<TState> entry, IExternalScopeProvider? scopes)
    {
        using var writer = new StringWriter();
        Formatter.Write(entry, scopes, writer);
        var line = writer.ToString().TrimEnd();
        if (line.Length == 0)
        {
            return;
        }

        _lines.Enqueue(line);
        while (_lines.Count > Capacity && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class CapturingLogger(LogCapture capture, string category, IExternalScopeProvider? scopes) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Add(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), scopes);
    }
}
