using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Common.Paging;

/// <summary>
/// An opaque keyset cursor: the sort key of the last item of a page, base64url-encoded with a checksum, so that a
/// client cannot depend on its inside and a damaged or hand-edited cursor is rejected rather than misread.
/// </summary>
/// <remarks>
/// The kind and each key are written length-prefixed (<c>&lt;UTF-8 byte count&gt;:&lt;bytes&gt;</c>), so any text a
/// key may hold, a separator included, comes back exactly as it went in.
/// </remarks>
public static class Cursor
{
    private const int ChecksumBytes = 6;

    /// <summary>
    /// The largest payload: a kind, a name of the longest allowed length in characters of three UTF-8 bytes each (a
    /// surrogate pair is two characters and four bytes), a position, and their length prefixes.
    /// </summary>
    private const int MaxPayloadBytes = 64 + BilingualText.MaxLength * 3 + 64;

    /// <summary>The longest cursor this service issues, in characters; longer ones are refused unread.</summary>
    public const int MaxLength = (MaxPayloadBytes + 2) / 3 * 4 + 1 + (ChecksumBytes + 2) / 3 * 4;

    /// <summary>The 400's message for a cursor that is not one of this list and sort.</summary>
    public const string InvalidForSortMessage = "The cursor is not one this service issued for this list and sort; start again without it.";

    /// <summary>The 400's message for a cursor that is not one of this list (a list with one order).</summary>
    public const string InvalidMessage = "The cursor is not one this service issued for this list; start again without it.";

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Encode(string kind, params string[] keys)
    {
        var payload = new StringBuilder();
        foreach (var part in keys.Prepend(kind))
        {
            payload.Append(Strict.GetByteCount(part).ToString(CultureInfo.InvariantCulture)).Append(':').Append(part);
        }

        var bytes = Strict.GetBytes(payload.ToString());
        var checksum = SHA256.HashData(bytes).AsSpan(0, ChecksumBytes);
        return Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(checksum);
    }

    /// <summary>The keys of a cursor of <paramref name="kind"/>, or false if it is not one this service issued.</summary>
    public static bool TryDecode(string? cursor, string kind, int keyCount, out string[] keys)
    {
        keys = [];
        if (string.IsNullOrEmpty(cursor) || cursor.Length > MaxLength)
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

        if (!TryParseFields(payload, out var parts) && !TryParseLegacy(payload, out parts))
        {
            return false;
        }

        if (parts.Count != keyCount + 1 || parts[0] != kind)
        {
            return false;
        }

        keys = [.. parts.Skip(1)];
        return true;
    }

    private static bool TryParseFields(byte[] payload, out List<string> parts)
    {
        parts = [];
        var at = 0;
        while (at < payload.Length)
        {
            var colon = Array.IndexOf(payload, (byte)':', at);
            if (colon <= at || colon - at > 6
                || !int.TryParse(payload.AsSpan(at, colon - at), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length > payload.Length - colon - 1)
            {
                return false;
            }

            try
            {
                parts.Add(Strict.GetString(payload, colon + 1, length));
            }
            catch (DecoderFallbackException)
            {
                return false;
            }

            at = colon + 1 + length;
        }

        return true;
    }

    /// <summary>
    /// A cursor issued before keys were length-prefixed: <c>kind|key|key</c>. Still accepted, so that a sync client that
    /// kept its change-feed position (digits only, never ambiguous) across the release carries on where it stopped. A
    /// new payload never reads as one: it starts with a length, never with a kind.
    /// </summary>
    private static bool TryParseLegacy(byte[] payload, out List<string> parts)
    {
        parts = [];
        try
        {
            parts = [.. Strict.GetString(payload).Split('|')];
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
