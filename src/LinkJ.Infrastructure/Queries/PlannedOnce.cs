using System.Globalization;
using LinkJ.Application.Agreements;

namespace LinkJ.Infrastructure.Queries;

/// <summary>
/// A list page whose every value comes from a closed set (a country code, a partner kind, a status, the page size) is
/// written whole, its values in the text, so that the statement has no parameters and PostgreSQL plans it once per
/// connection instead of at every request (ADR 0053). With parameters, the plan PostgreSQL could keep for every value
/// (the generic plan) is estimated a little dearer than the one it makes for each value (<c>country = $1</c> is one
/// country in six to it, <c>JP</c> two rows in three), so it planned again at every request: ~0.8 ms of PostgreSQL's
/// ~2.2 ms per <c>?country=JP&amp;limit=20</c>, as much as running it. A statement without parameters has one plan, made
/// with the very values it runs with, and Npgsql prepares it on its second use like any other text. The texts are few
/// (countries in use × kinds × statuses × page sizes × sorts); one used once is planned once, as before. Every other
/// list (a partner, a scope, dates, a cursor, a search) keeps its parameters: values that are not from a closed set
/// would make a text per request.
/// </summary>
public static class PlannedOnce
{
    /// <summary>Whether the list is one whose values all go into the text: no search, partner, scope, dates or cursor.</summary>
    public static bool Applies(AgreementCriteria criteria) =>
        criteria.Search is null && criteria.PartnerId is null && criteria.Scope is null && criteria.Ending is null
        && criteria.SignedFrom is null && criteria.SignedTo is null && criteria.After is null;

    /// <summary>
    /// A value of a closed set as a SQL literal (<c>'JP'</c>, <c>'local-government'</c>): only ASCII letters, digits and
    /// hyphens, which need no escaping; anything else is refused (it never comes from a closed set). An untyped literal
    /// takes the column's type, as the typed parameter did (<c>character(2)</c> for a country).
    /// </summary>
    public static string Literal(string value)
    {
        if (value.Length is 0 or > 64 || value.AsSpan().IndexOfAnyExcept(Allowed) >= 0)
        {
            throw new ArgumentException($"'{value}' is not a closed-set value to write into a statement.", nameof(value));
        }

        return "'" + value + "'";
    }

    /// <summary>A count (the page's LIMIT) as a SQL literal.</summary>
    public static string Literal(int value) =>
        value >= 0 ? value.ToString(CultureInfo.InvariantCulture) : throw new ArgumentOutOfRangeException(nameof(value), value, "A count is not negative.");

    private static readonly System.Buffers.SearchValues<char> Allowed =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");
}
