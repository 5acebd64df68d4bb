using System.Diagnostics;
using System.Text.Json.Nodes;
using LinkJ.Api.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkJ.Api.IntegrationTests.Observability;

/// <summary>The console's JSON lines: the trace id at the top, fields kept, secrets taken out of every text.</summary>
public sealed class JsonLogFormatterTests
{
    private const string Key = "lj_0123abcd_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Write_WhenAnActivityIsCurrent_ShouldWriteOneJsonLineWithItsTraceAndSpanIds()
    {
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();

        var line = Format("Served {Path} in {Duration} ms", ["/api/v1/partners", 12.5]);

        Assert.DoesNotContain('\n', line.TrimEnd());
        var entry = JsonNode.Parse(line)!.AsObject();
        Assert.Equal(activity.TraceId.ToHexString(), entry["traceId"]!.GetValue<string>());
        Assert.Equal(activity.SpanId.ToHexString(), entry["spanId"]!.GetValue<string>());
        Assert.Equal("Information", entry["level"]!.GetValue<string>());
        Assert.Equal("/api/v1/partners", entry["fields"]!["Path"]!.GetValue<string>());
        Assert.Equal(12.5, entry["fields"]!["Duration"]!.GetValue<double>());
        Assert.Equal("Served /api/v1/partners in 12.5 ms", entry["message"]!.GetValue<string>());
    }

    [Fact]
    public void Write_WhenTheMessageOrAFieldHoldsAnApiKeyOrAPassword_ShouldRedactThem()
    {
        var line = Format("Key {Key} on {ConnectionString}", [Key, "Host=db;Username=linkj;Password=hunter2;Database=linkj"],
            new InvalidOperationException("postgresql://linkj:hunter2@db:5432/linkj failed"));

        Assert.DoesNotContain("hunter2", line);
        Assert.DoesNotContain(Key, line);
        var entry = JsonNode.Parse(line)!.AsObject();
        Assert.Equal("lj_0123abcd_[redacted]", entry["fields"]!["Key"]!.GetValue<string>());
        Assert.Equal("Host=db;Username=linkj;Password=[redacted];Database=linkj", entry["fields"]!["ConnectionString"]!.GetValue<string>());
        Assert.Contains("postgresql://linkj:[redacted]@db:5432/linkj", entry["exception"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Password=\"a;b\";Host=x", "Password=[redacted];Host=x")]
    [InlineData("pwd = secret ;Host=x", "pwd=[redacted] ;Host=x")]
    [InlineData("no secret here: Host=x;Port=5432", "no secret here: Host=x;Port=5432")]
    [InlineData("X-Api-Key: " + Key, "X-Api-Key: lj_0123abcd_[redacted]")]
    public void Redact_WhenGivenText_ShouldMaskOnlyTheSecrets(string text, string expected)
    {
        Assert.Equal(expected, LogRedaction.Redact(text));
    }

    private static string Format(string template, object?[] values, Exception? exception = null)
    {
        var state = new FormattedState(template, values);
        using var writer = new StringWriter();
        new JsonLogFormatter().Write(
            new LogEntry<FormattedState>(LogLevel.Information, "Tests", new EventId(1, "Test"), state, exception, (s, _) => s.ToString()),
            scopeProvider: null, writer);
        return writer.ToString();
    }

    /// <summary>A message template with its values, as LoggerMessage produces: fields by name plus the original format.</summary>
    private sealed class FormattedState(string template, object?[] values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly string[] _names = [.. System.Text.RegularExpressions.Regex.Matches(template, "\\{(\\w+)\\}").Select(m => m.Groups[1].Value)];

        public int Count => _names.Length + 1;

        public KeyValuePair<string, object?> this[int index] =>
            index < _names.Length ? new(_names[index], values[index]) : new("{OriginalFormat}", template);

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString()
        {
            var text = template;
            for (var i = 0; i < _names.Length; i++)
            {
                text = text.Replace("{" + _names[i] + "}", Convert.ToString(values[i], System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }

            return text;
        }
    }
}
