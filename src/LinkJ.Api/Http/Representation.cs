using LinkJ.Domain.Common;

namespace LinkJ.Api.Http;

/// <summary>
/// What the pipeline knows of the representation it answers with, typed and in one place: the negotiated language
/// (set by <see cref="LanguageNegotiation"/>, read by the use cases and by <see cref="PublicReadCache"/>'s key) and the
/// item's version (set by an item's read endpoint, put in front of the representation's ETag by the cache). A request
/// feature, so nothing goes through string keys or a header written to be read back.
/// </summary>
public sealed class Representation
{
    /// <summary>The negotiated language; null outside /api.</summary>
    public Language? Language { get; set; }

    /// <summary>The version of the one resource the response shows, if it shows one.</summary>
    public int? ItemVersion { get; set; }

    /// <summary>The request's representation, created on first use.</summary>
    public static Representation Of(HttpContext http)
    {
        var representation = http.Features.Get<Representation>();
        if (representation is null)
        {
            representation = new Representation();
            http.Features.Set(representation);
        }

        return representation;
    }
}

public static class RepresentationExtensions
{
    /// <summary>A read of one resource: its version leads the representation's ETag (<c>"v3.…"</c>), which the cache writes.</summary>
    public static void SetItemVersion(this HttpContext http, int version) => Representation.Of(http).ItemVersion = version;
}
