using FluentValidation;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;

namespace LinkJ.Application.Partners.Queries.ListPartners;

/// <summary>
/// LINK-J's partners, filtered, searched, sorted and paged (by default in the order the partnerships began). Every
/// filter is a domain value, parsed once at the edge by <see cref="Parse"/> (ADR 0050).
/// </summary>
public sealed record ListPartnersQuery : IQuery<Page<PartnerDto>>
{
    /// <summary>The wire names of <see cref="PartnerSort"/>, in its order.</summary>
    public static readonly IReadOnlyList<string> Sorts = ["since", "name", "-name"];

    private static readonly Shape Validator = new();

    public CountryCode? Country { get; init; }

    public PartnerKind? Kind { get; init; }

    /// <summary>The text to find, normalised as the stored search texts are (once, by <see cref="Parse"/>).</summary>
    public SearchTerm? Q { get; init; }

    public PartnerSort Sort { get; init; }

    /// <summary>Start after this row (the previous page's <c>next</c>), or at the beginning when null.</summary>
    public PageKey? After { get; init; }

    public int Limit { get; init; } = PageLimits.Default;

    /// <summary>A cursor belongs to one list and one sort order.</summary>
    public string CursorKind => KindOf(Sorts[(int)Sort]);

    /// <summary>The query for a request's parameters as sent, checked and parsed in one pass; every failure is one 400.</summary>
    public static ListPartnersQuery Parse(string? country, string? kind, int? limit, string? cursor, string? q = null, string? sort = null)
    {
        var parse = new WireParse(Validator.Validate(new Sent(limit)).Errors);
        var code = parse.Country("country", country);
        var term = parse.Search("q", q);
        var partnerKind = parse.Enum<PartnerKind>("kind", kind);
        var order = parse.OneOf("sort", sort, Sorts);
        // In partnership order the sequence alone places a row; by name, the name first.
        var after = parse.PageKey("cursor", cursor, KindOf(sort ?? Sorts[0]), sort is "name" or "-name" ? PageKeyKind.Name : PageKeyKind.Sequence);
        return parse.Result(() => new ListPartnersQuery
        {
            Country = code,
            Kind = partnerKind,
            Q = term,
            Sort = (PartnerSort)(order ?? 0),
            After = after,
            Limit = limit ?? PageLimits.Default,
        });
    }

    /// <summary>This query for the page after one answered with <paramref name="next"/> (an export following its pages).</summary>
    public ListPartnersQuery Following(string next)
    {
        var parse = new WireParse([]);
        var after = parse.PageKey("cursor", next, CursorKind, Sort == PartnerSort.Since ? PageKeyKind.Sequence : PageKeyKind.Name);
        return parse.Result(() => this with { After = after });
    }

    private static string KindOf(string sort) => "partners" + sort;

    private sealed record Sent(int? Limit);

    private sealed class Shape : AbstractValidator<Sent>
    {
        public Shape()
        {
            RuleFor(q => q.Limit).ValidPageLimit().OverridePropertyName("limit");
        }
    }
}
