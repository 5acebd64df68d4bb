using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using LinkJ.Api.Http;
using LinkJ.Application.Agreements;
using LinkJ.Application.Agreements.Documents;
using LinkJ.Application.Agreements.Queries.ListAgreements;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.Stats;
using LinkJ.Application.Stats.Queries.GetStats;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace LinkJ.Api.Pages;

/// <summary>
/// The partnerships page (<c>/partnerships</c> in Japanese, <c>/en/partnerships</c> in English): LINK-J's table of
/// partnerships as the release shows it, server-rendered from the same use cases as the JSON reads (ADR 0039). Filters
/// are a GET form, so they work without JavaScript; a filter value the page cannot take answers 400 with an HTML page
/// that says which. Cached and revalidated by <see cref="PublicReadCache"/> like the JSON reads.
/// </summary>
public static class PartnershipsPage
{
    public const string JapanesePath = "/partnerships";
    public const string EnglishPath = "/en/partnerships";

    /// <summary>The query parameters the page takes; any other is refused (400), as on the JSON API (ADR 0020).</summary>
    public static readonly IReadOnlyList<string> Parameters = ["country", "partnerKind", "year", "cursor"];

    /// <summary>The page's style sheet, inlined and allowed by its hash: one response, and no 'unsafe-inline'.</summary>
    public static readonly string Css = ReadResource("partnerships.css");

    /// <summary>The pages' policy: their own inline style (by hash), forms to this origin, no script at all.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)))}'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static bool IsPage(PathString path) =>
        path.Equals(JapanesePath, StringComparison.OrdinalIgnoreCase) || path.Equals(EnglishPath, StringComparison.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapPartnershipsPage(this IEndpointRouteBuilder app)
    {
        // Not part of the JSON API, so not in its OpenAPI document (ADR 0039).
        app.MapGet(JapanesePath, (HttpContext http, ISender sender, IPublicDocumentLinks documents, CancellationToken cancellationToken) =>
            RenderAsync(PageText.Japanese, http, sender, documents, cancellationToken)).ExcludeFromDescription();
        app.MapGet(EnglishPath, (HttpContext http, ISender sender, IPublicDocumentLinks documents, CancellationToken cancellationToken) =>
            RenderAsync(PageText.English, http, sender, documents, cancellationToken)).ExcludeFromDescription();
        WidgetScript.Map(app);
        return app;
    }

    private static async Task<IResult> RenderAsync(
        PageText text, HttpContext http, ISender sender, IPublicDocumentLinks documents, CancellationToken cancellationToken)
    {
        // The use cases read the language from here (ILanguageContext), as on the JSON reads; the path decides it.
        Representation.Of(http).Language = text.Language;
        http.Response.Headers.ContentLanguage = text.Code;

        var problems = new List<string>();
        var filters = ParseFilters(http.Request.Query, text, problems);
        var stats = await sender.Send(new GetStatsQuery(), cancellationToken);
        var options = OptionsOf(stats);
        if (problems.Count > 0)
        {
            return Render(PartnershipsView.Refused(text, filters, options, problems), StatusCodes.Status400BadRequest);
        }

        Page<AgreementDto> page;
        try
        {
            // The filters are parsed (above, each once, with the page's bilingual messages): the query takes them as
            // they are. Only the cursor is the use case's to read, as the page after the list's first (ADR 0054).
            var query = new ListAgreementsQuery { Country = filters.Country, PartnerKind = filters.PartnerKind, Year = filters.Year, Limit = PageLimits.Max };
            page = await sender.Send(filters.Cursor is { } cursor ? query.Following(cursor) : query, cancellationToken);
        }
        catch (ValidationException validation)
        {
            // A cursor this service did not issue for this list (or for another sort).
            return Render(PartnershipsView.Refused(text, filters, options, [.. validation.Errors.Select(e => e.ErrorMessage).Distinct()]),
                StatusCodes.Status400BadRequest);
        }

        var links = await documents.ForAgreementsAsync([.. page.Items.Select(a => a.Id)], text.Language, cancellationToken);
        var rows = page.Items
            .Select(agreement => new PartnershipRow(agreement, links.TryGetValue(agreement.Id, out var found) ? found : []))
            .ToList();
        var next = page.Next is null ? null : QueryHelpers.AddQueryString(text.Path, filters.With(page.Next));
        return Render(new PartnershipsView(text, rows, filters, options, stats.Latest, next, []), StatusCodes.Status200OK);
    }

    private static RazorComponentResult<PartnershipsDocument> Render(PartnershipsView view, int status) =>
        new(new Dictionary<string, object?> { [nameof(PartnershipsDocument.View)] = view })
        {
            StatusCode = status,
            ContentType = "text/html; charset=utf-8",
        };

    /// <summary>Reads the filters; an empty value (the form's "all") is no filter. Each problem is said in the page's language.</summary>
    private static PartnershipFilters ParseFilters(IQueryCollection query, PageText text, List<string> problems)
    {
        foreach (var unknown in query.Keys.Where(key => !Parameters.Contains(key, StringComparer.Ordinal)))
        {
            problems.Add(text.T($"「{unknown}」という条件はありません（使えるのは country, partnerKind, year です）。",
                $"There is no filter named '{unknown}' (the filters are country, partnerKind and year)."));
        }

        string? Single(string name)
        {
            var values = query[name];
            if (values.Count > 1)
            {
                problems.Add(text.T($"{name} は一つだけ指定してください。", $"Give {name} once."));
            }

            return values.Count == 0 || string.IsNullOrEmpty(values[0]) ? null : values[0];
        }

        // Each filter is parsed once, here, into the value the query takes (ADR 0054).
        CountryCode? country = null;
        if (Single("country") is { } countryText)
        {
            if (CountryCode.IsValid(countryText))
            {
                country = CountryCode.Create(countryText);
            }
            else
            {
                problems.Add(text.T("国は JP や US のような ISO 3166-1 の2文字のコードで指定してください。",
                    "A country is a two-letter ISO 3166-1 code such as JP or US."));
            }
        }

        PartnerKind? kind = null;
        if (Single("partnerKind") is { } kindText)
        {
            if (WireEnum.TryParse<PartnerKind>(kindText, out var parsed))
            {
                kind = parsed;
            }
            else
            {
                problems.Add(text.T($"団体の種類は次のいずれかです: {WireEnum.Allowed<PartnerKind>()}。",
                    $"A partner kind is one of: {WireEnum.Allowed<PartnerKind>()}."));
            }
        }

        int? year = null;
        if (Single("year") is { } yearText)
        {
            if (yearText.Length == 4 && int.TryParse(yearText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y)
                && y is >= ListAgreementsQuery.MinYear and <= ListAgreementsQuery.MaxYear)
            {
                year = y;
            }
            else
            {
                problems.Add(text.T($"年は {ListAgreementsQuery.MinYear} から {ListAgreementsQuery.MaxYear} までの4桁の数字で指定してください。",
                    $"A year is four digits from {ListAgreementsQuery.MinYear} to {ListAgreementsQuery.MaxYear}."));
            }
        }

        return new PartnershipFilters(country, kind, year, Single("cursor"));
    }

    /// <summary>What the filters offer: only values that have partnerships, from the statistics the JSON API serves.</summary>
    private static FilterOptions OptionsOf(StatsDto stats) => new(
        [.. stats.ByCountry.Where(c => c.Partnerships > 0).Select(c => c.Country)],
        [.. stats.ByPartnerKind.Where(k => k.Partnerships > 0).Select(k => k.Kind)],
        [.. stats.ByYear.Where(y => y.Partnerships > 0).Select(y => y.Year)]);

    internal static string ReadResource(string name)
    {
        using var stream = typeof(PartnershipsPage).Assembly.GetManifestResourceStream("LinkJ.Api.Pages." + name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>The page's filters, parsed (null: not filtered); the cursor as given (the use case reads it).</summary>
public sealed record PartnershipFilters(CountryCode? Country, PartnerKind? PartnerKind, int? Year, string? Cursor)
{
    public bool Any => Country is not null || PartnerKind is not null || Year is not null;

    /// <summary>The query string of these filters on the page at <paramref name="cursor"/>.</summary>
    public Dictionary<string, string?> With(string cursor)
    {
        var query = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (Country is not null) query["country"] = Country.Value;
        if (PartnerKind is { } kind) query["partnerKind"] = WireEnum.ToWire(kind);
        if (Year is not null) query["year"] = Year.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        query["cursor"] = cursor;
        return query;
    }
}

/// <summary>The values each filter offers.</summary>
public sealed record FilterOptions(IReadOnlyList<string> Countries, IReadOnlyList<PartnerKind> Kinds, IReadOnlyList<int> Years);

/// <summary>An agreement as a row of the table, with its public documents (none until the documents feature provides them).</summary>
public sealed record PartnershipRow(AgreementDto Agreement, IReadOnlyList<PublicDocumentLink> Documents);

/// <summary>Everything the page shows.</summary>
public sealed record PartnershipsView(
    PageText Text,
    IReadOnlyList<PartnershipRow> Rows,
    PartnershipFilters Filters,
    FilterOptions Options,
    PartnershipMilestoneDto? Latest,
    string? NextHref,
    IReadOnlyList<string> Problems)
{
    public static PartnershipsView Refused(PageText text, PartnershipFilters filters, FilterOptions options, IReadOnlyList<string> problems) =>
        new(text, [], filters with { Cursor = null }, options, null, null, problems);
}
