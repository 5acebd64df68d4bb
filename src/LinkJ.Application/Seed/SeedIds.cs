using System.Security.Cryptography;
using System.Text;

namespace LinkJ.Application.Seed;

/// <summary>
/// Seeded records get ids derived from their slug (a name-based, version-5-style UUID), so every database seeded from
/// the document has the same ids: links, tests and the examples in Swagger UI stay valid.
/// </summary>
public static class SeedIds
{
    public static Guid Partner(string slug) => NameBased("partner:" + slug);

    public static Guid Agreement(string partnerSlug) => NameBased("agreement:" + partnerSlug + ":1");

    public static Guid Document(string name) => NameBased("document:" + name);

    private static Guid NameBased(string name)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes("linkj:" + name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
