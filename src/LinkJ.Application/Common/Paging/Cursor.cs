using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace LinkJ.Application.Common.Paging;

/// <summary>
/// An opaque keyset cursor: the sort key of the last item of a page, base64url-encoded with a checksum, so that a
/// client cannot depend on its inside and a damaged or hand-edited cursor is rejected rather than misread.
/// </summary>
public static class Cursor
{
    private const char Separator = '|';
    private const int ChecksumBytes = 6;

    public static string Encode(string kind, params string[] keys)
    {
        var payload = Encoding.UTF8.GetBytes(kind + Separator + string.Join(Separator, keys));
        var checksum = SHA256.HashData(payload).AsSpan(0, ChecksumBytes);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(checksum);
    }

    /// <summary>The keys of a cursor of <paramref name="kind"/>, or false if it is not one this service issued.</summary>
    public static bool TryDecode(string? cursor, string kind, int keyCount, out string[] keys)
    {
        keys = [];
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 512)
        {
            return false;
        }

        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !Base64Url.IsValid(cursor.AsSpan(0, dot)) || !Base64Url.IsValid(cursor.AsSpan(dot + 1)))
        {
            return false;
        }

        var payload = Base64Url.DecodeFromChars(cursor.AsSpan(0, dot));
        var checksum = Base64Url.DecodeFromChars(cursor.AsSpan(dot + 1));
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(payload).AsSpan(0, ChecksumBytes), checksum))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(payload).Split(Separator);
        if (parts.Length != keyCount + 1 || parts[0] != kind)
        {
            return false;
        }

        keys = parts[1..];
        return true;
    }
}
