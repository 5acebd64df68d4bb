using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.CooperationScopes;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Agreements.Queries.ListAgreements;

/// <summary>
/// A page of agreements. The query is compiled once per sort order and country filter (<see cref="Pages"/>), with the
/// filters and the cursor as parameters: a filter left out is a null parameter, which EF Core drops from the SQL (one SQL per
/// combination of null parameters), so each request runs the same SQL as a query composed for it would, without
/// translating a LINQ tree on every call — which cost more of the API's CPU than reading the rows.
/// </summary>
public sealed class ListAgreementsHandler(IAppDbContext db, ILanguageContext language) : IQueryHandler<ListAgreementsQuery, Page<AgreementDto>>
{
    public async ValueTask<Page<AgreementDto>> Handle(ListAgreementsQuery query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? PageLimits.Default;
        var sort = query.Sort ?? ListAgreementsQuery.Sorts[0];
        var byName = sort is "name" or "-name";
        var parameters = await ParametersAsync(query, byName, limit + 1, cancellationToken);

        var fetched = new List<Row>(limit + 1);
        await foreach (var row in Pages[(sort, parameters.Country is not null)](db.AsDbContext(), parameters).WithCancellation(cancellationToken))
        {
            fetched.Add(row);
        }

        var page = fetched.Take(limit).ToList();
        var vocabulary = await db.LoadVocabularyByCodeAsync(cancellationToken);

        string? next = null;
        if (fetched.Count > limit)
        {
            var last = page[^1];
            next = Cursor.Encode(
                query.CursorKind,
                byName ? last.SortName : last.SignedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                last.Seq.ToString(CultureInfo.InvariantCulture));
        }

        return new Page<AgreementDto>(
            [.. page.Select(r => r.Agreement.ToDto(r.Partner, r.Ordinal(), vocabulary, language.Language))],
            next);
    }

    /// <summary>The filters, the cursor and the page size of <paramref name="query"/>, as the compiled queries take them.</summary>
    private async Task<PageParameters> ParametersAsync(ListAgreementsQuery query, bool byName, int take, CancellationToken cancellationToken)
    {
        var parameters = new PageParameters { English = language.Language == Language.English, Take = take };

        if (query.PartnerIdOrSlug is not null)
        {
            parameters.PartnerId = (await db.Partners.AsNoTracking().FindLiveAsync(query.PartnerIdOrSlug, cancellationToken)).Id;
        }

        if (query.Country is not null)
        {
            parameters.Country = CountryCode.Create(query.Country);
        }

        if (WireEnum.TryParse<PartnerKind>(query.PartnerKind, out var kind))
        {
            parameters.Kind = kind;
        }

        if (WireEnum.TryParse<AgreementStatus>(query.Status, out var status))
        {
            parameters.Status = status;
        }

        parameters.Scope = query.Scope;

        if (PartialDate.TryParse(query.SignedFrom, out var from))
        {
            parameters.SignedFrom = from.Earliest;
        }

        if (PartialDate.TryParse(query.SignedTo, out var to))
        {
            parameters.SignedTo = to.Latest;
        }

        if (query.Year is { } year)
        {
            (parameters.YearFirst, parameters.YearLast) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        }

        if (query.Q is not null)
        {
            parameters.Pattern = Search.ContainsPattern(query.Q);
        }

        // Keyset paging: the page starts after the last row of the previous one, so its cost does not grow with depth.
        if (Cursor.TryDecode(query.Cursor, query.CursorKind, 2, out var keys))
        {
            parameters.AfterSeq = long.Parse(keys[1], CultureInfo.InvariantCulture);
            if (byName)
            {
                parameters.AfterName = keys[0];
            }
            else
            {
                parameters.AfterDate = DateOnly.ParseExact(keys[0], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
        }

        return parameters;
    }

    /// <summary>
    /// The partners to join, by country or all. Two queries rather than one with "@country IS NULL OR …": a country is a
    /// value object, whose parameter has no SQL type of its own, and a COALESCE in its place misleads the planner.
    /// </summary>
    private static readonly Expression<Func<DbContext, PageParameters, IQueryable<Partner>>> AnyCountry = (db, p) =>
        db.Set<Partner>().AsNoTracking();

    /// <inheritdoc cref="AnyCountry"/>
    private static readonly Expression<Func<DbContext, PageParameters, IQueryable<Partner>>> OneCountry = (db, p) =>
        db.Set<Partner>().AsNoTracking().Where(x => x.Country == p.Country);

    /// <summary>The agreements and their partners that pass every filter, with the keys they can be sorted by.</summary>
    private static readonly Expression<Func<DbContext, PageParameters, IQueryable<Partner>, IQueryable<Row>>> Filtered = (db, p, partners) =>
        db.Set<Agreement>().AsNoTracking()
            .Where(a => a.DeletedAt == null)
            .Where(a => p.PartnerId == null || a.PartnerId == p.PartnerId)
            .Where(a => p.Status == null || a.Status == p.Status)
            .Where(a => p.Scope == null || a.Cooperation.Scopes.Contains(p.Scope))
            .Where(a => p.SignedFrom == null || a.SignedOn.Date >= p.SignedFrom)
            .Where(a => p.SignedTo == null || a.SignedOn.Date <= p.SignedTo)
            .Where(a => p.YearFirst == null || a.SignedOn.Date >= p.YearFirst && a.SignedOn.Date <= p.YearLast)
            .Join(
                partners.Where(x => p.Kind == null || x.Kind == p.Kind),
                a => a.PartnerId,
                x => x.Id,
                (a, x) => new Row
                {
                    Agreement = a,
                    Partner = x,
                    Seq = EF.Property<long>(a, IAppDbContext.Sequence),
                    SignedOn = a.SignedOn.Date,
                    SortName = p.English ? x.Name.En ?? x.Name.Ja : x.Name.Ja,
                    AgreementText = EF.Property<string>(a, IAppDbContext.SearchText),
                    PartnerText = EF.Property<string>(x, IAppDbContext.SearchText),
                    OrdinalOverall = RunningNumbers.Overall(a.Id),
                    OrdinalWithinKind = RunningNumbers.WithinPartnerKind(a.Id),
                })
            .Where(r => p.Pattern == null || EF.Functions.Like(r.AgreementText, p.Pattern, "\\") || EF.Functions.Like(r.PartnerText, p.Pattern, "\\"));

    // Each sort order's page: after the cursor, in that order, one row more than the page (to know if there is a next
    // page). The leading bound on the first key alone (signed_on >= …) is what lets PostgreSQL start the
    // (signed_on, seq) index scan at the cursor instead of filtering every earlier row; the rest only settles ties.
    private static readonly Dictionary<string, Expression<Func<IQueryable<Row>, PageParameters, IQueryable<Row>>>> Orders = new(StringComparer.Ordinal)
    {
        ["signedOn"] = (rows, p) => rows
            .Where(r => p.AfterDate == null || r.SignedOn >= p.AfterDate && (r.SignedOn > p.AfterDate || r.Seq > p.AfterSeq))
            .OrderBy(r => r.SignedOn).ThenBy(r => r.Seq).Take(p.Take),
        ["-signedOn"] = (rows, p) => rows
            .Where(r => p.AfterDate == null || r.SignedOn <= p.AfterDate && (r.SignedOn < p.AfterDate || r.Seq < p.AfterSeq))
            .OrderByDescending(r => r.SignedOn).ThenByDescending(r => r.Seq).Take(p.Take),
        ["name"] = (rows, p) => rows
            .Where(r => p.AfterName == null || string.Compare(r.SortName, p.AfterName) >= 0 && (string.Compare(r.SortName, p.AfterName) > 0 || r.Seq > p.AfterSeq))
            .OrderBy(r => r.SortName).ThenBy(r => r.Seq).Take(p.Take),
        ["-name"] = (rows, p) => rows
            .Where(r => p.AfterName == null || string.Compare(r.SortName, p.AfterName) <= 0 && (string.Compare(r.SortName, p.AfterName) < 0 || r.Seq < p.AfterSeq))
            .OrderByDescending(r => r.SortName).ThenByDescending(r => r.Seq).Take(p.Take),
    };

    /// <summary>The compiled page queries, by sort order and whether they filter by country (EF Core compiles each on its first use).</summary>
    private static readonly Dictionary<(string Sort, bool ByCountry), Func<DbContext, PageParameters, IAsyncEnumerable<Row>>> Pages =
        Orders.SelectMany(order => new[] { false, true }.Select(byCountry => (order, byCountry)))
            .ToDictionary(x => (x.order.Key, x.byCountry), x => Compile(x.byCountry ? OneCountry : AnyCountry, x.order.Value));

    /// <summary>
    /// Compiles <see cref="Filtered"/> on <paramref name="partners"/>, followed by <paramref name="page"/>. EF Core
    /// translates a compiled query's own parameters, not the members of one, so each <see cref="PageParameters"/>
    /// property the query uses becomes a parameter of its own, and the returned delegate passes them from the object.
    /// </summary>
    private static Func<DbContext, PageParameters, IAsyncEnumerable<Row>> Compile(
        Expression<Func<DbContext, PageParameters, IQueryable<Partner>>> partners, Expression<Func<IQueryable<Row>, PageParameters, IQueryable<Row>>> page)
    {
        var (context, parameters) = (Filtered.Parameters[0], Filtered.Parameters[1]);
        var replacements = new Dictionary<ParameterExpression, Expression>
        {
            [page.Parameters[0]] = Filtered.Body,
            [page.Parameters[1]] = parameters,
            [Filtered.Parameters[2]] = partners.Body,
            [partners.Parameters[0]] = context,
            [partners.Parameters[1]] = parameters,
        };
        var members = new Dictionary<PropertyInfo, ParameterExpression>();
        var body = new Substitution(replacements, parameters, members).Visit(page.Body);

        var compile = typeof(EF).GetMethods()
            .Where(m => m.Name == nameof(EF.CompileAsyncQuery) && m.GetGenericArguments().Length == members.Count + 2)
            .Single(m => m.GetParameters()[0].ParameterType.GetGenericArguments()[0].GetGenericArguments()[^1] is { IsGenericType: true } result
                         && result.GetGenericTypeDefinition() == typeof(IQueryable<>))
            .MakeGenericMethod([typeof(DbContext), .. members.Values.Select(v => v.Type), typeof(Row)]);
        var compiled = (Delegate)compile.Invoke(null, [Expression.Lambda(body, [context, .. members.Values])])!;

        var (db, values) = (Expression.Parameter(typeof(DbContext), "db"), Expression.Parameter(typeof(PageParameters), "parameters"));
        var call = Expression.Invoke(Expression.Constant(compiled), [db, .. members.Keys.Select(member => Expression.Property(values, member))]);
        return Expression.Lambda<Func<DbContext, PageParameters, IAsyncEnumerable<Row>>>(call, db, values).Compile();
    }

    /// <summary>Puts the parts of a page query together, with a parameter of its own for each member of the page parameters.</summary>
    private sealed class Substitution(
        Dictionary<ParameterExpression, Expression> replacements, ParameterExpression parameters, Dictionary<PropertyInfo, ParameterExpression> members)
        : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            replacements.TryGetValue(node, out var replacement) ? Visit(replacement) : node;

        protected override Expression VisitMember(MemberExpression node)
        {
            var target = node.Expression is null ? null : Visit(node.Expression);
            if (target == parameters && node.Member is PropertyInfo member)
            {
                if (!members.TryGetValue(member, out var parameter))
                {
                    members[member] = parameter = Expression.Parameter(member.PropertyType, char.ToLowerInvariant(member.Name[0]) + member.Name[1..]);
                }

                return parameter;
            }

            return node.Update(target);
        }
    }

    /// <summary>What a page query takes; null leaves a filter out.</summary>
    private sealed class PageParameters
    {
        public Guid? PartnerId { get; set; }

        public CountryCode? Country { get; set; }

        public PartnerKind? Kind { get; set; }

        public AgreementStatus? Status { get; set; }

        public string? Scope { get; set; }

        public DateOnly? SignedFrom { get; set; }

        public DateOnly? SignedTo { get; set; }

        public DateOnly? YearFirst { get; set; }

        public DateOnly? YearLast { get; set; }

        public string? Pattern { get; set; }

        public bool English { get; init; }

        public DateOnly? AfterDate { get; set; }

        public string? AfterName { get; set; }

        public long AfterSeq { get; set; }

        public int Take { get; init; }
    }

    private sealed class Row
    {
        public required Agreement Agreement { get; init; }

        public required Partner Partner { get; init; }

        public long Seq { get; init; }

        public DateOnly SignedOn { get; init; }

        public required string SortName { get; init; }

        public required string AgreementText { get; init; }

        public required string PartnerText { get; init; }

        public long? OrdinalOverall { get; init; }

        public long? OrdinalWithinKind { get; init; }

        public AgreementOrdinal? Ordinal() => AgreementOrdinal.FromColumns(Agreement.Id, OrdinalOverall, OrdinalWithinKind);
    }
}
