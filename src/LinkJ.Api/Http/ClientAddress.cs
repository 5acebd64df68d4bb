using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Net;
using LinkJ.Application.Abstractions;

namespace LinkJ.Api.Http;

/// <summary>
/// Who a client is, for the per-address limits. An IPv4 address is one client. An IPv6 client is its /64: a home or an
/// office is given at least a /64 and may use any of its 2^64 addresses (privacy extensions rotate them by themselves),
/// so counting per address would give it a fresh budget with every new one. IPv4-mapped IPv6 addresses are IPv4.
/// </summary>
public static class ClientAddress
{
    /// <summary>"203.0.113.7", "2001:db8:1:2::/64", or "unknown".</summary>
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 ? Prefix(address, 64) : address.ToString();
    }

    /// <summary>The network a client's address belongs to for <see cref="NewClientLimit"/>: its IPv4 /24 or IPv6 /48.</summary>
    public static string NetworkOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return Prefix(address, address.AddressFamily == AddressFamily.InterNetworkV6 ? 48 : 24);
    }

    private static string Prefix(IPAddress address, int bits)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes) + "/" + bits;
    }
}

/// <summary>
/// The cheap limit checked in memory before a client's first request writes its counter row on the primary
/// (<see cref="ISharedRequestCounters"/>): each network (IPv4 /24, IPv6 /48) may bring
/// at most <see cref="RateLimitOptions.NewClientsPerNetworkPerMinute"/> clients to this replica a minute. Its further
/// clients are counted together, as the network, in one row and one budget: a client that rotates through the /64s of
/// its /48, or a host renting a block of addresses, cannot make the primary write a row per request, nor get a budget
/// per address. Per replica, in memory: forgotten with the window, nothing to share.
/// </summary>
public sealed class NewClientLimit(RateLimitOptions options, TimeProvider time)
{
    private sealed class Network
    {
        public DateTimeOffset WindowEnd;
        public readonly HashSet<string> Clients = new(StringComparer.Ordinal);
    }

    private readonly ConcurrentDictionary<string, Network> _networks = new(StringComparer.Ordinal);

    /// <summary>The partition to count the client in: its own, or its network's once the network has brought too many.</summary>
    public string PartitionOf(IPAddress? address)
    {
        var client = ClientAddress.Of(address);
        var network = ClientAddress.NetworkOf(address);
        if (client == network)
        {
            return client;
        }

        var now = time.GetUtcNow();
        var state = _networks.GetOrAdd(network, _ => new Network());
        lock (state)
        {
            if (now >= state.WindowEnd)
            {
                state.Clients.Clear();
                state.WindowEnd = now + SharedRequestCounters.Window;
                PurgeEnded(now);
            }

            if (state.Clients.Contains(client) || state.Clients.Count < options.NewClientsPerNetworkPerMinute)
            {
                state.Clients.Add(client);
                return client;
            }
        }

        return network;
    }

    /// <summary>Drops the networks whose window ended (at most once a window per network that starts one).</summary>
    private void PurgeEnded(DateTimeOffset now)
    {
        foreach (var (name, network) in _networks)
        {
            if (now >= network.WindowEnd + SharedRequestCounters.Window)
            {
                _networks.TryRemove(name, out _);
            }
        }
    }
}
