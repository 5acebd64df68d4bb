namespace LinkJ.Infrastructure.Queries;

/// <summary>
/// Which parts of a search term the trigram indexes are asked for (ADR 0047). A GIN lookup of a whole term intersects
/// the posting list of every trigram in it: "osaka university 4321" has 22, most of them in a quarter of all titles,
/// and the intersection decodes all of those lists (~10 ms at 100k rows, ~10× that at 1m) to find 10 rows. Asked for
/// only its rare parts ("4321"), the index reads two short lists, and the whole term is then tested on the few rows it
/// returns. The answer is the same either way (every text that contains the term contains each of its parts); only the
/// cost differs. Which parts are rare is judged on PostgreSQL's own sample of the column, the histogram ANALYZE keeps
/// (<c>pg_stats</c>), as the planner judges a pattern.
/// </summary>
public static class SearchPieces
{
    /// <summary>A part of the term at most this common in the sample is asked for; the rarest one only if none is.</summary>
    public const double RareShare = 0.02;

    /// <summary>
    /// Further parts are asked for too while they are at most this common, when the rarest part was seen in the sample
    /// (it may match thousands of rows, which such a part cuts before they are read from the table). When the rarest part
    /// was never seen, it matches a few hundred rows at most, and decoding a common part's posting lists costs more than
    /// testing those rows: then only parts as unseen as it are added (ADR 0059: "osaka" in 7 % of titles made the rare
    /// term's lookup 2.25 ms instead of 1.35 at 1m agreements, 0.43 instead of 0.33 at 100k).
    /// </summary>
    public const double NarrowingShare = 0.10;

    /// <summary>At most this many parts: each one more is one more posting list to read.</summary>
    public const int MaxPieces = 3;

    /// <summary>A sample smaller than this says too little (a table just created or not yet analysed).</summary>
    public const int MinSample = 20;

    /// <summary>
    /// The parts of a normalised term the trigram indexes can look up: its runs of ASCII letters and digits of at least
    /// three characters (each gives PostgreSQL at least one whole trigram in any locale), in order, each once.
    /// </summary>
    public static IReadOnlyList<string> Of(string normalizedTerm)
    {
        var pieces = new List<string>();
        var start = -1;
        for (var i = 0; i <= normalizedTerm.Length; i++)
        {
            var word = i < normalizedTerm.Length && normalizedTerm[i] is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (word && start < 0)
            {
                start = i;
            }
            else if (!word && start >= 0)
            {
                if (i - start >= AgreementQueries.TrigramLength)
                {
                    var piece = normalizedTerm[start..i];
                    if (!pieces.Contains(piece, StringComparer.Ordinal))
                    {
                        pieces.Add(piece);
                    }
                }

                start = -1;
            }
        }

        return pieces;
    }

    /// <summary>
    /// The parts to ask the index for, rarest first, or none when the whole term should be asked for: there is no
    /// usable sample, no part, or every part is common (then only all of them together narrow the rows, and the
    /// index's intersection is the cheaper way to apply them).
    /// </summary>
    public static IReadOnlyList<string> Choose(string normalizedTerm, IReadOnlyList<string>? sample)
    {
        var pieces = Of(normalizedTerm);
        if (sample is null || sample.Count < MinSample || pieces.Count == 0)
        {
            return [];
        }

        var ranked = pieces
            .Select(piece => (Piece: piece, Share: (double)sample.Count(text => text.Contains(piece, StringComparison.Ordinal)) / sample.Count))
            .OrderBy(p => p.Share)
            .ThenByDescending(p => p.Piece.Length)
            .ToList();
        if (ranked[0].Share > RareShare)
        {
            return [];
        }

        var narrowing = ranked[0].Share > 0 ? NarrowingShare : 0;
        return [ranked[0].Piece, .. ranked.Skip(1).Where(p => p.Share <= narrowing).Take(MaxPieces - 1).Select(p => p.Piece)];
    }
}
