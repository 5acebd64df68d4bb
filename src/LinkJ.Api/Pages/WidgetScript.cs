using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LinkJ.Api.Http;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Partners;

namespace LinkJ.Api.Pages;

/// <summary>
/// The embeddable widget, <c>&lt;linkj-partnerships&gt;</c> (ADR 0039): one classic script, served with CORS like the
/// public reads (so it loads as a module or with <c>crossorigin</c> too), an ETag of its bytes and a public cache
/// lifetime. Its texts are the page's own tables (<see cref="PageText"/>), written into it once at start-up.
/// </summary>
public static class WidgetScript
{
    public const string Path = "/widget/linkj-partnerships.js";

    public const string MediaType = "text/javascript; charset=utf-8";

    /// <summary>The script as served: its lines without their indentation (a quarter of its bytes), its texts filled in.</summary>
    public static readonly byte[] Bytes = Encoding.UTF8.GetBytes(string.Join('\n',
        PartnershipsPage.ReadResource("linkj-partnerships.js").Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0))
        .Replace("/*TEXTS*/{}/*END*/", TextsJson(), StringComparison.Ordinal));

    public static readonly string ETag = "\"w" + Convert.ToHexString(SHA256.HashData(Bytes), 0, 12).ToLowerInvariant() + "\"";

    internal static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(Path, (HttpContext http) =>
            {
                var headers = http.Response.Headers;
                headers.ETag = ETag;
                headers.CacheControl = "public, max-age=3600, stale-while-revalidate=86400";
                if (http.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Contains(ETag.Trim('"'), StringComparison.Ordinal)))
                {
                    return Results.StatusCode(StatusCodes.Status304NotModified);
                }

                return Results.Bytes(Bytes, MediaType);
            })
            .RequireCors(CorsSetup.PublicReads)
            .ExcludeFromDescription();

    /// <summary>{"ja":{…},"en":{…}}: labels, country names, statuses and the "with a …" phrases by the API's wire names.</summary>
    private static string TextsJson()
    {
        object For(PageText t) => new Dictionary<string, object>
        {
            ["loading"] = t.T("連携団体を読み込んでいます…", "Loading partnerships…"),
            ["error"] = t.T("連携団体を読み込めませんでした。時間をおいて再度お試しください。", "The partnerships could not be loaded. Please try again later."),
            ["caption"] = t.T("LINK-J の連携団体", "LINK-J partnerships"),
            ["columns"] = new[] { t.T("年月", "Signed"), t.T("団体・組織名", "Organisation"), t.T("国", "Country"), t.T("提携内容", "Cooperation"), t.T("状態", "Status"), t.T("連携の順番", "Partnership number") },
            ["latest"] = t.T("最新", "Latest"),
            ["more"] = t.T("等", "and more"),
            ["months"] = Enumerable.Range(1, 12).Select(m => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(m)).ToArray(),
            ["countries"] = PageText.Countries.ToDictionary(c => c.Key, c => t.IsEnglish ? c.Value.En : c.Value.Ja),
            ["statuses"] = Enum.GetValues<AgreementStatus>().ToDictionary(WireEnum.ToWire, s => t.Status(s)),
            ["withKind"] = Enum.GetValues<PartnerKind>().ToDictionary(WireEnum.ToWire, k => t.IsEnglish ? PageText.WithKindEnglish(k) : t.Kind(k)),
        };

        return JsonSerializer.Serialize(new Dictionary<string, object> { ["ja"] = For(PageText.Japanese), ["en"] = For(PageText.English) },
            new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
