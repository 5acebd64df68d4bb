using System.Globalization;
using LinkJ.Application.Agreements;
using LinkJ.Application.Agreements.Queries.ListAgreements;
using LinkJ.Application.Common;
using LinkJ.Application.Partners;
using LinkJ.Application.Partners.Queries.ListPartners;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkJ.Api.Formats;

/// <summary>The partner and agreement lists as CSV: every record that passes the filters, one row each.</summary>
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

    private static string Text(IReadOnlyList<string> header, IReadOnlyList<string?> row)
    {
        var text = new System.Text.StringBuilder();
        Csv.AppendRow(text, header);
        Csv.AppendRow(text, row);
        return text.ToString();
    }

    public static async Task<FileContentHttpResult> AgreementsAsync(ISender sender, ListAgreementsQuery query, CancellationToken cancellationToken)
    {
        var rows = new List<IReadOnlyList<string?>>();
        await foreach (var a in AllAsync(cursor => sender.Send(query with { Limit = 100, Cursor = cursor }, cancellationToken)))
        {
            rows.Add(AgreementRow(a));
        }

        return Csv.File("agreements.csv", AgreementColumns, rows);
    }

    public static async Task<FileContentHttpResult> PartnersAsync(ISender sender, ListPartnersQuery query, CancellationToken cancellationToken)
    {
        var rows = new List<IReadOnlyList<string?>>();
        await foreach (var p in AllAsync(cursor => sender.Send(query with { Limit = 100, Cursor = cursor }, cancellationToken)))
        {
            rows.Add(PartnerRow(p));
        }

        return Csv.File("partners.csv", PartnerColumns, rows);
    }

    /// <summary>Every item of a paged list, following its cursor (bounded by <see cref="Csv.MaxRows"/>).</summary>
    private static async IAsyncEnumerable<T> AllAsync<T>(Func<string?, ValueTask<Application.Common.Paging.Page<T>>> page)
    {
        string? cursor = null;
        var count = 0;
        do
        {
            var current = await page(cursor);
            foreach (var item in current.Items)
            {
                if (++count > Csv.MaxRows)
                {
                    yield break;
                }

                yield return item;
            }

            cursor = current.Next;
        }
        while (cursor is not null);
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
