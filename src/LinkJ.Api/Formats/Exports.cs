using System.Globalization;
using LinkJ.Application.Agreements;
using LinkJ.Application.Agreements.Queries.ListAgreements;
using LinkJ.Application.Common;
using LinkJ.Application.Partners;
using LinkJ.Application.Partners.Queries.ListPartners;
using LinkJ.Application.Common.Paging;
using Mediator;

namespace LinkJ.Api.Formats;

/// <summary>The <c>Exports</c> section of the configuration.</summary>
public sealed class ExportOptions
{
    public const string Section = "Exports";

    /// <summary>How many records an export reads per query, 1 to the lists' own maximum (the memory an export holds).</summary>
    public int PageSize { get; set; } = PageLimits.Max;
}

/// <summary>The partner and agreement lists as CSV: every record that passes the filters, one row each, streamed.</summary>
public static class Exports
{
    private static readonly string[] AgreementColumns =
    [
        "id", "partner_slug", "partner_name_ja", "partner_name_en", "partner_country", "partner_kind", "title_ja", "title_en",
        "signed_on", "signed_on_precision", "status", "valid_from", "valid_until", "scopes", "scope_labels",
        "ordinal", "ordinal_within_partner_kind", "version", "updated_at",
    ];

    private static readonly string[] PartnerColumns =
    [
        "id", "slug", "name_ja", "name_en", "short_name", "kind", "country", "overseas", "region_ja", "region_en", "website",
        "former_names_ja", "version", "updated_at",
    ];

    private static string?[] AgreementRow(AgreementDto a) =>
    [
        a.Id.ToString(), a.Partner.Slug, a.Partner.Name.Ja, a.Partner.Name.En, a.Partner.Country, WireEnum.ToWire(a.Partner.Kind),
        a.Title.Ja, a.Title.En, a.SignedOn, WireEnum.ToWire(a.SignedOnPrecision), WireEnum.ToWire(a.Status),
        Day(a.Validity.From), a.Validity.Until is { } until ? Day(until) : null,
        string.Join(';', a.Cooperation.Scopes.Select(s => s.Code)), string.Join(" / ", a.Localized.Scopes),
        a.Ordinal?.Overall.ToString(CultureInfo.InvariantCulture), a.Ordinal?.WithinPartnerKind.ToString(CultureInfo.InvariantCulture),
        a.Version.ToString(CultureInfo.InvariantCulture), a.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
    ];

    private static string?[] PartnerRow(PartnerDto p) =>
    [
        p.Id.ToString(), p.Slug, p.Name.Ja, p.Name.En, p.ShortName, WireEnum.ToWire(p.Kind), p.Country,
        p.IsOverseas ? "true" : "false", p.Region?.Ja, p.Region?.En, p.Website?.ToString(),
        string.Join(';', p.FormerNames.Select(f => f.Name.Ja)), p.Version.ToString(CultureInfo.InvariantCulture),
        p.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
    ];

    /// <summary>The CSV of one agreement (the header and its row), for the OpenAPI example.</summary>
    public static string AgreementsExample(AgreementDto agreement) => Text(AgreementColumns, AgreementRow(agreement));

    /// <summary>The CSV of one partner (the header and its row), for the OpenAPI example.</summary>
    public static string PartnersExample(PartnerDto partner) => Text(PartnerColumns, PartnerRow(partner));

    private static string Text(IReadOnlyList<string> header, IReadOnlyList<string?> row) => Csv.Row(header) + Csv.Row(row);

    /// <summary>
    /// Every agreement that passes the query's filters, as a streamed CSV file. The first page is read here, so that a
    /// query the use case refuses is a 400 problem, not a file cut short.
    /// </summary>
    public static async Task<CsvFile> AgreementsAsync(ISender sender, ListAgreementsQuery query, int pageSize, CancellationToken cancellationToken)
    {
        var first = await sender.Send(query with { Limit = pageSize, After = null }, cancellationToken);
        var rows = AllAsync(first, next => sender.Send(query.Following(next) with { Limit = pageSize }, cancellationToken), AgreementRow);
        return new CsvFile("agreements.csv", AgreementColumns, rows);
    }

    /// <summary>Every partner that passes the query's filters, as a streamed CSV file (see <see cref="AgreementsAsync"/>).</summary>
    public static async Task<CsvFile> PartnersAsync(ISender sender, ListPartnersQuery query, int pageSize, CancellationToken cancellationToken)
    {
        var first = await sender.Send(query with { Limit = pageSize, After = null }, cancellationToken);
        var rows = AllAsync(first, next => sender.Send(query.Following(next) with { Limit = pageSize }, cancellationToken), PartnerRow);
        return new CsvFile("partners.csv", PartnerColumns, rows);
    }

    /// <summary>The row of every item of a paged list from its first page on, following its cursor to the end: no cap.</summary>
    private static async IAsyncEnumerable<IReadOnlyList<string?>> AllAsync<T>(
        Page<T> first, Func<string, ValueTask<Page<T>>> page, Func<T, IReadOnlyList<string?>> row)
    {
        var current = first;
        while (true)
        {
            foreach (var item in current.Items)
            {
                yield return row(item);
            }

            if (current.Next is null)
            {
                yield break;
            }

            current = await page(current.Next);
        }
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
