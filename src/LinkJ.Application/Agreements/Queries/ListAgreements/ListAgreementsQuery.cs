using FluentValidation;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;

namespace LinkJ.Application.Agreements.Queries.ListAgreements;

/// <summary>
/// Agreements, filtered, searched, sorted and paged (by default in signing order, same-month ones in the source's
/// order). Every filter is a domain value, parsed once at the edge by <see cref="Parse"/> (ADR 0050): the handler and
/// the query service read no strings.
/// </summary>
public sealed record ListAgreementsQuery : IQuery<Page<AgreementDto>>
{
    /// <summary>The years <c>year</c> may name (the document states them too).</summary>
    public const int MinYear = 1900, MaxYear = 2200;

    /// <summary>The message of a scope that is not a code.</summary>
    public const string ScopeMessage = "A scope is a code such as publication-exchange (see /api/v1/cooperation-scopes).";

    /// <summary>The wire names of <see cref="AgreementSort"/>, in its order.</summary>
    public static readonly IReadOnlyList<string> Sorts = ["signedOn", "-signedOn", "name", "-name"];

    private static readonly Shape Validator = new();

    /// <summary>The partner's country.</summary>
    public CountryCode? Country { get; init; }

    /// <summary>The partner's kind.</summary>
    public PartnerKind? PartnerKind { get; init; }

    /// <summary>A cooperation scope code the agreement must include.</summary>
    public Slug? Scope { get; init; }

    public AgreementStatus? Status { get; init; }

    /// <summary>Signed on or after (a month: its first day).</summary>
    public PartialDate? SignedFrom { get; init; }

    /// <summary>Signed on or before (a month: its last day).</summary>
    public PartialDate? SignedTo { get; init; }

    /// <summary>Signed in this year.</summary>
    public int? Year { get; init; }

    /// <summary>Only agreements in force whose last day falls between today (Japan) and today + this period.</summary>
    public CalendarPeriod? ExpiringWithin { get; init; }

    /// <summary>Only this partner's agreements (resolved by the handler: a 404 when there is none).</summary>
    public PartnerRef? Partner { get; init; }

    /// <summary>The text to find, normalised as the stored search texts are (once, by <see cref="Parse"/>).</summary>
    public SearchTerm? Q { get; init; }

    public AgreementSort Sort { get; init; }

    /// <summary>Start after this row (the previous page's <c>next</c>), or at the beginning when null.</summary>
    public PageKey? After { get; init; }

    public int Limit { get; init; } = PageLimits.Default;

    /// <summary>A cursor belongs to one list and one sort order.</summary>
    public string CursorKind => KindOf(Sorts[(int)Sort]);

    /// <summary>
    /// The query for a request's parameters as sent, checked and parsed in one pass: bounds by the shape validator,
    /// every coded value by <see cref="WireParse"/>; every failure is one 400 (a <see cref="ValidationException"/>).
    /// </summary>
    public static ListAgreementsQuery Parse(ListAgreementsParameters sent)
    {
        var parse = new WireParse(Validator.Validate(sent).Errors);
        var country = parse.Country("country", sent.Country);
        var q = parse.Search("q", sent.Q);
        var kind = parse.Enum<PartnerKind>("partnerKind", sent.PartnerKind);
        var status = parse.Enum<AgreementStatus>("status", sent.Status);
        var scope = parse.Slug("scope", sent.Scope, ScopeMessage);
        var from = parse.PartialDate("signedFrom", sent.SignedFrom);
        var to = parse.PartialDate("signedTo", sent.SignedTo);
        if (from is not null && to is not null && from.Earliest > to.Latest)
        {
            parse.Fail("signedTo", "signedFrom must not be after signedTo.");
        }

        var sort = parse.OneOf("sort", sent.Sort, Sorts);
        var within = parse.CalendarPeriod("expiringWithin", sent.ExpiringWithin);
        // The cursor names the sort it was issued for: one of another sort (or of a sort that is none) is refused.
        var byDay = sent.Sort is null or "signedOn" or "-signedOn";
        var after = parse.PageKey("cursor", sent.Cursor, KindOf(sent.Sort ?? Sorts[0]), byDay ? PageKeyKind.Day : PageKeyKind.Name);
        return parse.Result(() => new ListAgreementsQuery
        {
            Country = country,
            PartnerKind = kind,
            Status = status,
            Scope = scope,
            SignedFrom = from,
            SignedTo = to,
            Year = sent.Year,
            ExpiringWithin = within,
            Partner = sent.PartnerIdOrSlug is null ? null : PartnerRef.Parse(sent.PartnerIdOrSlug),
            Q = q,
            Sort = (AgreementSort)(sort ?? 0),
            After = after,
            Limit = sent.Limit ?? PageLimits.Default,
        });
    }

    /// <summary>
    /// This query for the page after one answered with <paramref name="next"/> (an export following its pages, the
    /// partnerships page at the cursor of its link): the cursor is checked against this query's list and sort.
    /// </summary>
    public ListAgreementsQuery Following(string next)
    {
        var parse = new WireParse([]);
        var after = parse.PageKey("cursor", next, CursorKind, Sort is AgreementSort.SignedOn or AgreementSort.SignedOnDescending ? PageKeyKind.Day : PageKeyKind.Name);
        return parse.Result(() => this with { After = after });
    }

    private static string KindOf(string sort) => "agreements" + sort;

    private sealed class Shape : AbstractValidator<ListAgreementsParameters>
    {
        public Shape()
        {
            RuleFor(q => q.Limit).ValidPageLimit().OverridePropertyName("limit");
            RuleFor(q => q.Year).InclusiveBetween(MinYear, MaxYear).OverridePropertyName("year");
        }
    }
}

/// <summary>The agreement list's query parameters as sent (the OpenAPI contract's strings); <see cref="ListAgreementsQuery.Parse"/> reads them.</summary>
/// <param name="Country">The partner's ISO 3166-1 alpha-2 country code.</param>
/// <param name="PartnerKind">The partner's kind, e.g. local-government.</param>
/// <param name="Scope">A cooperation scope code the agreement must include.</param>
/// <param name="Status">draft, active, expired or terminated.</param>
/// <param name="SignedFrom">Signed on or after: YYYY-MM or YYYY-MM-DD.</param>
/// <param name="SignedTo">Signed on or before: YYYY-MM (the whole month) or YYYY-MM-DD.</param>
/// <param name="PartnerIdOrSlug">Only this partner's agreements.</param>
/// <param name="Limit">Page size, 1 to 100.</param>
/// <param name="Cursor">The <c>next</c> cursor of the previous page.</param>
/// <param name="Q">Text to find in the agreement's title or its partner's names (any language, case and width).</param>
/// <param name="Year">Signed in this year.</param>
/// <param name="Sort">signedOn (default), -signedOn (newest first), name or -name (the partner's name in the negotiated language).</param>
/// <param name="ExpiringWithin">Only agreements in force whose last day falls between today (Japan) and today + this ISO 8601 duration.</param>
public sealed record ListAgreementsParameters(
    string? Country = null,
    string? PartnerKind = null,
    string? Scope = null,
    string? Status = null,
    string? SignedFrom = null,
    string? SignedTo = null,
    string? PartnerIdOrSlug = null,
    int? Limit = null,
    string? Cursor = null,
    string? Q = null,
    int? Year = null,
    string? Sort = null,
    string? ExpiringWithin = null);
