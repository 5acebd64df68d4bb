using System.Net;
using System.Net.Sockets;
using System.Text;
using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Hardening;

/// <summary>
/// Issue 15, item 6: a client that sends a 10 MB body gets a status it can read (401/413 …), whatever the order of the
/// checks, never a connection reset while it is still sending. A raw socket, because HttpClient would not send a
/// non-ASCII header and stops at the first error.
/// </summary>
public sealed class RefusedBodyTests(ApiFactory factory) : ApiTest(factory)
{
    [Theory]
    [InlineData("text/plain", "X-Api-Key: \u00E9")]
    [InlineData("application/json", "X-Api-Key: \u00E9")]
    [InlineData("text/plain", "X-Api-Key: lj_00000000_bad")]
    [InlineData("text/plain", "Authorization: ApiKey \u00E9\u00E9")]
    [InlineData("application/json", "X-Api-Key: caf\u00C3\u00A9")] // UTF-8 bytes of "café"
    public async Task Post_WhenA10MegabyteBodyComesWithARefusedKey_ShouldAnswerAReadableStatus(string contentType, string keyHeader)
    {
        await using var kestrel = new KestrelHost(Factory);
        using var client = kestrel.CreateClient(); // starts the server
        var port = client.BaseAddress!.Port;

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = tcp.GetStream();
        const int Size = 10 * 1024 * 1024;
        var head = $"POST /api/v1/agreements HTTP/1.1\r\nHost: localhost\r\nContent-Type: {contentType}\r\n{keyHeader}\r\nContent-Length: {Size}\r\n\r\n";
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head));

        var reading = ReadStatusLineAsync(stream);
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'a');
        for (var sent = 0; sent < Size; sent += chunk.Length)
        {
            // IOException here is the defect: the server reset the connection while the client was still sending.
            await stream.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, Size - sent)));
        }

        var status = await reading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Matches("^HTTP/1.1 (401|413|400|415) ", status);
    }

    private static async Task<string> ReadStatusLineAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer) == 1)
        {
            if (buffer[0] == '\n')
            {
                break;
            }

            line.Append((char)buffer[0]);
        }

        return line.ToString();
    }
}
