using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace LinkJ.Api.Observability;

/// <summary>
/// One JSON object per line for log collectors: timestamp (UTC), level, category, event id, message, the trace and span
/// ids of the current activity (so a log line leads to its trace), the message's fields and those of its scopes, and
/// the exception. Every text goes through <see cref="LogRedaction"/> first. The framework's own JSON formatter cannot
/// redact and nests the trace id inside its scopes; this one is selected by <c>Logging:Console:FormatterName</c>.
/// </summary>
public sealed class JsonLogFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "linkj-json";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Japanese names stay readable in the log; the encoder still escapes what JSON requires.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private const int MaxKeptBytes = 16 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    // The names already written, per line; reused like the buffer.
    [ThreadStatic]
    private static HashSet<string>? t_written;

    private static readonly string[] Reserved = ["{OriginalFormat}", "TraceId", "SpanId", "ParentId"];

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        // One buffer and writer per thread, reused: the request log writes a line for every request.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer, WriterOptions);
        json.Reset(buffer);
        json.WriteStartObject();
        Span<char> timestamp = stackalloc char[24];
        DateTimeOffset.UtcNow.TryFormat(timestamp, out var stamped, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        json.WriteString("timestamp", timestamp[..stamped]);
        json.WriteString("level", logEntry.LogLevel.ToString());
        json.WriteString("category", logEntry.Category);
        json.WriteNumber("eventId", logEntry.EventId.Id);
        if (logEntry.EventId.Name is { } eventName)
        {
            json.WriteString("eventName", eventName);
        }

        json.WriteString("message", LogRedaction.Redact(message ?? string.Empty));
        if (Activity.Current is { } activity)
        {
            json.WriteString("traceId", activity.TraceId.ToHexString());
            json.WriteString("spanId", activity.SpanId.ToHexString());
        }

        if (logEntry.Exception is { } exception)
        {
            json.WriteString("exception", LogRedaction.Redact(exception.ToString()));
        }

        // The activity scope's ids are written above already.
        var written = t_written ??= new HashSet<string>(StringComparer.Ordinal);
        written.Clear();
        written.UnionWith(Reserved);
        json.WriteStartObject("fields");
        WriteFields(json, logEntry.State, written);
        scopeProvider?.ForEachScope((scope, state) => WriteFields(state.json, scope, state.written), (json, written));
        json.WriteEndObject();

        json.WriteEndObject();

        json.Flush();
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(buffer.WrittenCount));
        try
        {
            textWriter.Write(chars, 0, Encoding.UTF8.GetChars(buffer.WrittenSpan, chars));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }

        textWriter.Write(Environment.NewLine);
        if (buffer.Capacity > MaxKeptBytes)
        {
            (t_buffer, t_json) = (null, null); // an exception's stack: do not keep its memory for every later line
        }
    }

    /// <summary>Writes the key/value pairs of a message or scope; the first value of a name wins (the message's own first).</summary>
    private static void WriteFields(Utf8JsonWriter json, object? state, HashSet<string> written)
    {
        if (state is not IEnumerable<KeyValuePair<string, object?>> fields)
        {
            return;
        }

        foreach (var (key, value) in fields)
        {
            if (!written.Add(key))
            {
                continue;
            }

            switch (value)
            {
                case null:
                    json.WriteNull(key);
                    break;
                case bool flag:
                    json.WriteBoolean(key, flag);
                    break;
                case int or long or short or byte or uint or ushort or sbyte:
                    json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    break;
                case ulong large:
                    json.WriteNumber(key, large);
                    break;
                case decimal exact:
                    json.WriteNumber(key, exact);
                    break;
                case double or float when double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)):
                    json.WriteNumber(key, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                    break;
                default:
                    json.WriteString(key, LogRedaction.Redact(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
                    break;
            }
        }
    }
}
