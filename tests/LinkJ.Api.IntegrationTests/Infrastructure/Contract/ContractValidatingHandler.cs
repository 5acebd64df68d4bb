using System.Net.Http.Headers;
using Xunit.Sdk;

namespace LinkJ.Api.IntegrationTests.Infrastructure.Contract;

/// <summary>
/// Sits in the tests' HTTP client and holds every response against the service's own OpenAPI document
/// (<see cref="OpenApiContract"/>): a response the document does not allow fails the request, and so the test that sent it,
/// with a <see cref="ContractViolationException"/> that says what the document promised and what came.
/// </summary>
/// <remarks>
/// The document is read once per test run from the host itself (<c>/swagger/v1/swagger.json</c>), so the check is always
/// against what is served. The body is buffered to be read here; the test reads it again as usual.
/// </remarks>
public sealed class ContractValidatingHandler(Func<CancellationToken, Task<OpenApiContract>> contract, bool counted = true) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var sent = response.RequestMessage ?? request;
        var path = sent.RequestUri?.AbsolutePath ?? "/";
        if (!path.StartsWith("/api/", StringComparison.Ordinal))
        {
            return response; // health, metrics, Swagger UI and the document itself are not in the document
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key)).ToList();
        var document = await contract(cancellationToken);
        var violations = document.Check(sent.Method.Method, path, response.StatusCode,
            response.Content.Headers.ContentType?.MediaType, headers, body);
        if (counted)
        {
            ContractTally.Record(violations);
        }
        if (violations is { Count: > 0 })
        {
            var sentBody = Truncate(body);
            response.Dispose();
            throw new ContractViolationException(
                "The response breaks the OpenAPI document (fix the service or the document):\n  " +
                string.Join("\n  ", violations) + "\n  body: " + sentBody);
        }

        return response;
    }

    private static string Truncate(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body);
        return text.Length <= 600 ? text : text[..600] + "…";
    }

    /// <summary>Reads the served document through the host's own handler, without checking that response.</summary>
    public static async Task<OpenApiContract> ReadServedAsync(HttpMessageHandler host, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(host, disposeHandler: false) { BaseAddress = new Uri("http://localhost") };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var json = await client.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative), cancellationToken);
        return new OpenApiContract(json);
    }
}

/// <summary>A response that breaks the OpenAPI document.</summary>
public sealed class ContractViolationException(string message) : XunitException(message);
