namespace LinkJ.Api.Http;

/// <summary>
/// Where clients reach the API (<c>PublicBaseUrl</c>, e.g. <c>https://api.link-j.org/</c>): the one source of every
/// absolute URL a response carries (the Atom feed's links). Never the request's Host or scheme, which any client can
/// forge and which would then reach every reader through the cache (docs/decisions/0021).
/// </summary>
public sealed class PublicBaseUrl
{
    public const string Key = "PublicBaseUrl";

    /// <summary>What <c>scripts/run.sh</c> listens on.</summary>
    public const string Default = "http://localhost:5080/";

    private readonly string _base;

    private PublicBaseUrl(Uri uri) => _base = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');

    public static PublicBaseUrl From(IConfiguration configuration)
    {
        var text = configuration[Key] is { Length: > 0 } configured ? configured : Default;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo)
            ? new PublicBaseUrl(uri)
            : throw new InvalidOperationException($"{Key} must be an absolute http or https URL without query, e.g. https://api.link-j.org/ (got '{text}').");
    }

    /// <summary>The absolute URL of a path of the API (<c>/api/v1/…</c>), with an optional query string.</summary>
    public string Of(PathString path, QueryString query = default) => _base + path.ToUriComponent() + query.ToUriComponent();
}
