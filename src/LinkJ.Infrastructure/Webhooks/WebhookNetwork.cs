using System.Net;
using System.Net.Sockets;

namespace LinkJ.Infrastructure.Webhooks;

/// <summary>Resolves a receiver's host name (replaceable in tests by a resolver that answers what the test needs).</summary>
public interface IWebhookDnsResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>Opens the TCP connection to an address that passed the checks (replaceable in tests).</summary>
public interface IWebhookConnector
{
    ValueTask<Stream> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken);
}

internal sealed class SystemDnsResolver : IWebhookDnsResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}

internal sealed class SocketConnector : IWebhookConnector
{
    public async ValueTask<Stream> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A receiver's address that deliveries may not go to (SSRF): refused before any connection is opened.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);

/// <summary>
/// Which addresses a delivery may connect to. Checked on the resolved addresses themselves, in the connection's own
/// callback, so the address checked is the address connected to (no second lookup a DNS answer could change).
/// </summary>
public static class WebhookAddressPolicy
{
    /// <summary>Whether <paramref name="address"/> is on the public internet (not private, loopback, link-local,
    /// carrier-grade NAT, multicast, reserved or unspecified).</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
                     || (b[0] == 169 && b[1] == 254)
                     || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                     || (b[0] == 192 && b[1] == 168)
                     || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                     || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                     || (b[0] == 198 && (b[1] == 18 || b[1] == 19)));
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6Any)
                     || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                     || (b[0] & 0xFE) == 0xFC // fc00::/7 unique local
                     || address.IsIPv6Teredo || (b[0] == 0x20 && b[1] == 0x02)); // 6to4 can wrap a private IPv4
        }

        return false;
    }

    /// <summary>Whether a delivery may connect to <paramref name="address"/>: public addresses always; loopback when
    /// allowed (tests, benchmarks); anything in Development.</summary>
    public static bool IsAllowed(IPAddress address, bool allowLoopback, bool development) =>
        development || IsPublic(address) || (allowLoopback && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));
}
