using System.Collections.Concurrent;
using System.Globalization;
using LinkJ.Application.Agreements;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Paging;
using LinkJ.Application.CooperationScopes;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using Npgsql;
using NpgsqlTypes;

namespace LinkJ.Infrastructure.Queries;

/// <summary>
/// The agreement reads as SQL, each one statement whose rows become <see cref="AgreementDto"/>s (ADR 0031). A list is
/// written for the filters it has (one SQL text per combination, which Npgsql prepares once it repeats), keyset-paged in
/// the sort's index order.
/// </summary>
public sealed class AgreementQueries(ReadDatabase database) : IAgreementQueries
{
    /// <summary>
    /// How many rows, per row of the page, the signing-order walk of a search reads before it gives the term to the
    /// trigram indexes: a term that fills the page within them is frequent enough that walking in order is the cheap
    /// plan (Osaka, one agreement in 15, fills a page of 21 in about 315 rows); a rarer one is found by the trigram
    /// indexes and its few matches sorted (ADR 0031).
    /// </summary>
    public const int WalkRowsPerPageRow = 40;

    /// <summary>A term shorter than a trigram cannot be looked up in the trigram indexes: only the walk finds it.</summary>
    public const int TrigramLength = 3;

    /// <summary>The partner condition of a search without partner filters.</summary>
    private const string NoPartnerFilter = "TRUE";

    public async Task<AgreementDto?> FindAsync(Guid id, Language language, CancellationToken cancellationToken)
    {
        var statement = new Statement();
        statement.Append($"SELECT {AgreementRows.Columns} FROM agreements a JOIN partners p ON p.id = a.partner_id{Ordinals.Join} WHERE a.id = {statement.Add(id)} AND a.deleted_at IS NULL");
        var vocabulary = await database.Context.LoadVocabularyByCodeAsync(cancellationToken);
        return await database.ReadAsync(
            statement,
            async (reader, token) => await reader.ReadAsync(token) ? AgreementRows.Read(reader, vocabulary, language) : null,
            cancellationToken);
    }

    public async Task<Slice<AgreementDto>> ListAsync(AgreementCriteria criteria, Language language, CancellationToken cancellationToken)
    {
        var take = criteria.Limit + 1; // one row more than the page, to know whether there is a next one
        var statement = new Statement();
        // A list of closed-set values only is written without parameters, planned once per connection (ADR 0053).
        var inline = PlannedOnce.Applies(criteria);
        var (agreementFilters, partnerFilters) = Filters(statement, criteria, inline);
        var sortName = language == Language.English ? "coalesce(p.name_en, p.name_ja)" : "p.name_ja";
        var after = After(statement, criteria, sortName);
        var order = criteria.ByName
            ? (criteria.Descending ? $"{sortName} DESC, a.seq DESC" : $"{sortName}, a.seq")
            : (criteria.Descending ? "a.signed_on DESC, a.seq DESC" : "a.signed_on, a.seq");
        var limit = string.Empty;

        (AgreementCriteria Known, int Walk)? searched = null;
        if (criteria.Search is { } term)
        {
            var pattern = statement.Add(term.ContainsPattern);
            var matches = $"(a.search_text LIKE {pattern} ESCAPE '\\' OR p.search_text LIKE {pattern} ESCAPE '\\')";
            if (criteria.ByName || term.Text.Length < TrigramLength)
            {
                limit = statement.Add(take);
                statement.Append(PageThenNumber(
                    $"SELECT a.id FROM agreements a JOIN partners p ON p.id = a.partner_id " +
                    $"WHERE {agreementFilters}{after} AND {partnerFilters} AND {matches} ORDER BY {order} LIMIT {limit}", order));
            }
            else
            {
                // Two plans in one statement (ADR 0031): walk the signing-order index for a bounded number of rows and
                // keep the matches; if they fill the page, that is the page (a frequent term). Otherwise (a rare term)
                // the trigram indexes find every match, and the few that pass the filters are sorted. The second plan
                // sits behind a condition on the first's count, which PostgreSQL checks once before running it. The
                // shapes are chosen so that no estimate can turn them into scans of a whole table: the walk tests the
                // partner's text kept on the agreement row (ADR 0051; a partner filter is a scalar subquery row by row,
                // never a hash join over every partner), and the matches are
                // looked up by id arrays (index scans whatever the planner guesses for a pattern it cannot see).
                // A term this process has already seen the walk miss goes straight to the trigram indexes (a walk of no rows).
                // The walk's page (rows next to each other in signing order) is numbered at once; the trigram indexes'
                // matches (a few rows, each in a month of its own) row by row, which costs them less (ADR 0057). A term
                // known to be rare (no walk) gets a statement without the page numbering: PostgreSQL initialises every
                // node of a plan at each execution, run or not, and the numbering's nodes cost a rare term ~0.2 ms.
                var sample = await SampleAsync(cancellationToken);
                var agreementLookup = Lookup(statement, "a", pattern, SearchPieces.Choose(term.Text, sample?.Agreements));
                var partnerLookup = Lookup(statement, "p", pattern, SearchPieces.Choose(term.Text, sample?.Partners));
                // The two limits are written into the text, not sent as parameters (ADR 0047): with their values in
                // sight, PostgreSQL's estimate of the plan it prepares once for every term is close to the plans it
                // would make for each, so it keeps that one plan instead of planning the statement again at every search.
                var known = criteria with { After = null, Limit = 0 };
                var walks = !RareTerms.ContainsKey(known);
                var walk = (walks ? take * WalkRowsPerPageRow : 0).ToString(CultureInfo.InvariantCulture);
                limit = take.ToString(CultureInfo.InvariantCulture);
                searched = (known, take * WalkRowsPerPageRow);
                // The walk tests the partner's search text the agreement row keeps (ADR 0051), so it reads one row per
                // agreement; only a filter on the partner's own fields (country, kind) still looks the partner up.
                var walkMatches = $"(a.search_text LIKE {pattern} ESCAPE '\\' OR a.partner_search_text LIKE {pattern} ESCAPE '\\')";
                if (partnerFilters != NoPartnerFilter)
                {
                    walkMatches += $" AND (SELECT TRUE FROM partners p WHERE p.id = a.partner_id AND {partnerFilters})";
                }

                statement.Append(
                    $"""
                    WITH walk AS MATERIALIZED (
                        SELECT a.id FROM (SELECT a.id, a.partner_id, a.signed_on, a.seq, a.search_text, a.partner_search_text FROM agreements a
                                          WHERE {agreementFilters}{after} ORDER BY {order} LIMIT {walk}) a
                        WHERE {walkMatches}
                        ORDER BY {order} LIMIT {limit}),
                    walked AS (SELECT count(*) AS found FROM walk),
                    matched AS MATERIALIZED (
                        SELECT a.id FROM (SELECT a.id, a.search_text FROM agreements a
                                          WHERE {agreementLookup} AND (SELECT found FROM walked) < {limit} OFFSET 0) a
                        WHERE a.search_text LIKE {pattern} ESCAPE '\'
                        UNION
                        SELECT a.id FROM agreements a
                        WHERE a.partner_id = ANY (ARRAY(SELECT p.id FROM (SELECT p.id, p.search_text FROM partners p WHERE {partnerLookup} OFFSET 0) p
                                                        WHERE p.search_text LIKE {pattern} ESCAPE '\'))
                          AND (SELECT found FROM walked) < {limit}),
                    {(walks ? $"page AS (SELECT id FROM walk WHERE (SELECT found FROM walked) = {limit}),\n{Ordinals.PageNumbers}," : "")}
                    matched_page AS (
                        SELECT a.id FROM agreements a JOIN partners p ON p.id = a.partner_id
                        WHERE a.id = ANY (ARRAY(SELECT id FROM matched)) AND {agreementFilters}{after} AND {partnerFilters}
                        ORDER BY {order} LIMIT {limit})
                    {(walks ? $"SELECT {AgreementRows.Columns}, (SELECT found FROM walked) = {limit}, (SELECT count(*) FROM matched) " +
                              $"FROM page JOIN agreements a ON a.id = page.id JOIN partners p ON p.id = a.partner_id{Ordinals.PageJoin}\nUNION ALL" : "")}
                    SELECT {AgreementRows.Columns}, (SELECT found FROM walked) = {limit}, (SELECT count(*) FROM matched)
                    FROM matched_page page JOIN agreements a ON a.id = page.id JOIN partners p ON p.id = a.partner_id{Ordinals.Join}
                    ORDER BY {(criteria.Descending ? "signed_on DESC, seq DESC" : "signed_on, seq")}
                    """);
            }
        }
        else
        {
            limit = inline ? PlannedOnce.Literal(take) : statement.Add(take);
            statement.Append(PageThenNumber(
                $"SELECT a.id FROM agreements a JOIN partners p ON p.id = a.partner_id " +
                $"WHERE {agreementFilters}{after} AND {partnerFilters} ORDER BY {order} LIMIT {limit}", order));
        }

        var vocabulary = await database.Context.LoadVocabularyByCodeAsync(cancellationToken);
        return await database.ReadAsync(statement, async (reader, token) =>
        {
            var items = new List<AgreementDto>(take);
            var (lastDate, lastSeq) = (default(DateOnly), 0L);
            var walked = false;
            var matched = 0L;
            while (await reader.ReadAsync(token))
            {
                if (searched is not null && items.Count == 0)
                {
                    (walked, matched) = (reader.GetBoolean(AgreementRows.ColumnCount), reader.GetInt64(AgreementRows.ColumnCount + 1));
                }

                if (items.Count == criteria.Limit)
                {
                    // The next page starts after the last row of this one: its sort key (the name it was sorted by is the
                    // partner's display name) and its sequence.
                    var key = criteria.ByName ? new PageKey(lastSeq, Name: items[^1].Partner.DisplayName) : new PageKey(lastSeq, Day: lastDate);
                    Learn(searched, walked, matched);
                    return new Slice<AgreementDto>(items, key);
                }

                items.Add(AgreementRows.Read(reader, vocabulary, language));
                (lastDate, lastSeq) = (AgreementRows.SignedOnDate(reader), AgreementRows.Seq(reader));
            }

            Learn(searched, walked, matched);
            return new Slice<AgreementDto>(items, null);
        }, cancellationToken);
    }

    /// <summary>
    /// The page's rows with their running numbers: <paramref name="page"/> selects the ids of the page (filtered, sorted,
    /// limited), and only those rows are joined to their partner and numbered, the page at once (ADR 0057). A
    /// materialized CTE with a LIMIT is never merged into the query around it, so the numbers are computed for the page,
    /// whatever plan PostgreSQL picks for it. In one statement with the filters, a plan that collected every matching row
    /// (a partner's agreements by the partner index), numbered each and then sorted and cut to the page numbered a
    /// partner's thousand agreements to show 21: the soak's 1.8 s maximum (ADR 0049).
    /// </summary>
    private static string PageThenNumber(string page, string order) =>
        $"WITH page AS MATERIALIZED ({page}),\n{Ordinals.PageNumbers}\n" +
        $"SELECT {AgreementRows.Columns} FROM page JOIN agreements a ON a.id = page.id " +
        $"JOIN partners p ON p.id = a.partner_id{Ordinals.PageJoin} ORDER BY {order}";

    /// <summary>
    /// What a trigram index of table <paramref name="alias"/> is asked for: the term's rare parts (each must occur; the
    /// caller tests the whole term on the rows they find, outside the index scan: an <c>OFFSET 0</c> keeps PostgreSQL
    /// from giving the index the whole term too), or the whole term when no part is rare (ADR 0047). A single part is
    /// written twice (one parameter): with one pattern it cannot see, the generic plan's estimate of a lookup is far above
    /// what PostgreSQL plans for the rare part it is given each time, so it planned the statement again at every search
    /// (3 ms of Bind for 0.9 of execution at 100k); with two, as with two parts, it keeps its one generic plan (ADR 0059).
    /// </summary>
    private static string Lookup(Statement statement, string alias, string pattern, IReadOnlyList<string> pieces)
    {
        if (pieces.Count == 0)
        {
            return $"{alias}.search_text LIKE {pattern} ESCAPE '\\'";
        }

        var conditions = pieces.Select(piece => $"{alias}.search_text LIKE {statement.Add("%" + piece + "%")}").ToList();
        return string.Join(" AND ", conditions.Count == 1 ? [conditions[0], conditions[0]] : conditions);
    }

    /// <summary>PostgreSQL's sample of the two search texts (the histograms ANALYZE keeps), to judge which parts of a term are rare.</summary>
    private sealed record TextSample(IReadOnlyList<string> Agreements, IReadOnlyList<string> Partners, long LoadedAt);

    private static volatile TextSample? _sample;

    /// <summary>How long a sample is used before it is read again (autovacuum's ANALYZE renews the histograms).</summary>
    private const long SampleMilliseconds = 10 * 60 * 1000;

    private async Task<TextSample?> SampleAsync(CancellationToken cancellationToken)
    {
        var sample = _sample;
        if (sample is not null && Environment.TickCount64 - sample.LoadedAt < SampleMilliseconds)
        {
            return sample;
        }

        var rows = await database.ListAsync(
            new Statement(
                "SELECT s.tablename = 'agreements', v FROM pg_stats s, unnest(s.histogram_bounds::text::text[]) v " +
                "WHERE s.schemaname = current_schema() AND s.tablename IN ('agreements', 'partners') AND s.attname = 'search_text'"),
            reader => (Agreement: reader.GetBoolean(0), Text: reader.GetString(1)),
            cancellationToken);
        sample = new TextSample(
            rows.Where(r => r.Agreement).Select(r => r.Text).ToArray(),
            rows.Where(r => !r.Agreement).Select(r => r.Text).ToArray(),
            Environment.TickCount64);
        _sample = sample;
        return sample;
    }

    /// <summary>Forgets the sample, so that the next search reads PostgreSQL's statistics again (tests, after an ANALYZE).</summary>
    public static void ForgetSample() => _sample = null;

    /// <summary>
    /// The searches (term and filters) whose walk found less than a page: a plan choice this process has learnt, never
    /// an answer (both plans give the same rows). Bounded: it starts again when full.
    /// </summary>
    private static readonly ConcurrentDictionary<AgreementCriteria, bool> RareTerms = new();

    private const int MaxRareTerms = 4096;

    /// <summary>Remembers a search whose walk missed as rare; forgets one whose trigram matches have grown past a walk.</summary>
    private static void Learn((AgreementCriteria Known, int Walk)? searched, bool walked, long matched)
    {
        if (searched is not { } search)
        {
            return;
        }

        if (matched > search.Walk)
        {
            RareTerms.TryRemove(search.Known, out _);
        }
        else if (!walked && !RareTerms.ContainsKey(search.Known))
        {
            if (RareTerms.Count >= MaxRareTerms)
            {
                RareTerms.Clear();
            }

            RareTerms.TryAdd(search.Known, true);
        }
    }

    /// <summary>
    /// The conditions on the agreement (<c>a</c>) and on its partner (<c>p</c>), for the filters the criteria have; with
    /// <paramref name="inline"/> (<see cref="PlannedOnce"/>), the closed-set values are written into the text.
    /// </summary>
    private static (string Agreement, string Partner) Filters(Statement statement, AgreementCriteria criteria, bool inline = false)
    {
        string Closed(string value, NpgsqlDbType? type = null) => inline ? PlannedOnce.Literal(value) : statement.Add(value, type);

        var agreement = "a.deleted_at IS NULL";
        if (criteria.PartnerId is { } partnerId)
        {
            agreement += $" AND a.partner_id = {statement.Add(partnerId)}";
        }

        if (criteria.Status is { } status)
        {
            agreement += $" AND a.status = {Closed(WireEnum.ToWire(status))}";
        }

        if (criteria.Scope is { } scope)
        {
            agreement += $" AND a.scopes @> ARRAY[{statement.Add(scope.Value, NpgsqlDbType.Text)}]";
        }

        if (criteria.Ending is { } ending)
        {
            // Expiry's rule: in force (its status; deleted rows are out above) and its last day within the window.
            agreement += $" AND a.status = {statement.Add(WireEnum.ToWire(Expiry.InForceStatus))} AND a.valid_until BETWEEN {statement.Add(ending.First)} AND {statement.Add(ending.Last)}";
        }

        if (criteria.SignedFrom is { } from)
        {
            agreement += $" AND a.signed_on >= {statement.Add(from)}";
        }

        if (criteria.SignedTo is { } to)
        {
            agreement += $" AND a.signed_on <= {statement.Add(to)}";
        }

        var partner = NoPartnerFilter;
        if (criteria.Country is { } country)
        {
            // character(2), as the column: sent as text, the column would be cast and the plan changes.
            partner += $" AND p.country = {Closed(country.Value, NpgsqlDbType.Char)}";
        }

        if (criteria.PartnerKind is { } kind)
        {
            partner += $" AND p.kind = {Closed(WireEnum.ToWire(kind))}";
        }

        return (agreement, partner);
    }

    /// <summary>
    /// The keyset condition that starts the page after the cursor's row. The leading bound on the first key alone
    /// (signed_on &gt;= …) is what lets PostgreSQL start the (signed_on, seq) index scan at the cursor instead of
    /// filtering every earlier row; the rest only settles ties.
    /// </summary>
    private static string After(Statement statement, AgreementCriteria criteria, string sortName)
    {
        if (criteria.After is not { } after)
        {
            return string.Empty;
        }

        // The key is typed (parsed from the cursor at the edge, ADR 0050): a name for the sorts by name, a day otherwise.
        var (first, seq) = criteria.ByName
            ? (sortName, statement.Add(after.Name ?? throw new InvalidOperationException("A cursor by name carries a name."), NpgsqlDbType.Text))
            : ("a.signed_on", statement.Add(after.Day ?? throw new InvalidOperationException("A cursor by date carries a day.")));
        var key = seq;
        var position = statement.Add(after.Seq);
        var (within, beyond) = criteria.Descending ? ("<=", "<") : (">=", ">");
        return $" AND {first} {within} {key} AND ({first} {beyond} {key} OR a.seq {beyond} {position})";
    }
}
