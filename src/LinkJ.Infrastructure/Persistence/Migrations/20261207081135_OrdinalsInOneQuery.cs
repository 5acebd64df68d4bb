using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OrdinalsInOneQuery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The running numbers were derived by two PL/pgSQL calls per agreement, each summing every month's tally before
            // the agreement's month (about 800 rows at 100k) and counting its rank inside the month: reads by id slowed to
            // about a third (issue 16, ADR 0041). Now one SQL function returning both numbers, which PostgreSQL inlines into
            // the query that calls it (LATERAL): year tallies before the agreement's year (a few dozen rows), month tallies
            // inside its year before its month (at most 11 per kind, by an index on month) and its rank inside its month
            // (one range of the counted-order index, which now carries the partner's kind, so both ranks come from it).
            migrationBuilder.Sql("""
                CREATE TABLE partnership_year_tallies (
                    kind varchar(40) NOT NULL,
                    year int NOT NULL,
                    stripe int NOT NULL,
                    count bigint NOT NULL,
                    CONSTRAINT pk_partnership_year_tallies PRIMARY KEY (kind, year, stripe));
                INSERT INTO partnership_year_tallies (kind, year, stripe, count)
                    SELECT kind, extract(year FROM month)::int, 0, sum(count) FROM partnership_month_tallies GROUP BY 1, 2;
                CREATE INDEX ix_partnership_month_tallies_month ON partnership_month_tallies (month);

                -- One index for both ranks inside a month: the kind is read from the index (no second index to write).
                DROP INDEX ix_agreements_counted_order;
                DROP INDEX ix_agreements_counted_kind_order;
                CREATE INDEX ix_agreements_counted_order ON agreements (signed_on, seq) INCLUDE (partner_kind)
                    WHERE deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL;

                CREATE OR REPLACE FUNCTION tally_agreement(a agreements, delta int) RETURNS void LANGUAGE plpgsql AS $$
                DECLARE
                    partner_country char(2);
                    partner_kind varchar(40);
                    s int := linkj_tally_stripe();
                BEGIN
                    IF current_setting('linkj.bulk', true) = 'on' THEN
                        -- A bulk write (an import): the deltas are summed once at its end (linkj_bulk_end), not upserted
                        -- row by row into the same few tally rows, each update of which later ones would step over.
                        INSERT INTO pg_temp.linkj_bulk_tallies VALUES (a.status, a.deleted_at, a.supersedes_id, a.partner_id, a.signed_on, a.scopes, delta);
                        RETURN;
                    END IF;
                    IF a.deleted_at IS NOT NULL THEN
                        RETURN;
                    END IF;
                    INSERT INTO agreement_status_tally_stripes AS t (status, stripe, count) VALUES (a.status, s, delta)
                        ON CONFLICT (status, stripe) DO UPDATE SET count = t.count + excluded.count;
                    IF NOT linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id) THEN
                        RETURN;
                    END IF;
                    SELECT country, kind INTO partner_country, partner_kind FROM partners WHERE id = a.partner_id;
                    INSERT INTO partnership_tally_stripes AS t (country, kind, year, stripe, count)
                        VALUES (partner_country, partner_kind, extract(year FROM a.signed_on)::int, s, delta)
                        ON CONFLICT (country, kind, year, stripe) DO UPDATE SET count = t.count + excluded.count;
                    INSERT INTO partnership_month_tallies AS t (kind, month, stripe, count)
                        VALUES (partner_kind, date_trunc('month', a.signed_on)::date, s, delta)
                        ON CONFLICT (kind, month, stripe) DO UPDATE SET count = t.count + excluded.count;
                    INSERT INTO partnership_year_tallies AS t (kind, year, stripe, count)
                        VALUES (partner_kind, extract(year FROM a.signed_on)::int, s, delta)
                        ON CONFLICT (kind, year, stripe) DO UPDATE SET count = t.count + excluded.count;
                    INSERT INTO scope_tally_stripes AS t (code, stripe, count)
                        SELECT code, s, delta * count(*) FROM unnest(a.scopes) AS code GROUP BY code ORDER BY code
                        ON CONFLICT (code, stripe) DO UPDATE SET count = t.count + excluded.count;
                END $$;

                CREATE OR REPLACE FUNCTION partners_tallies_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    s int := linkj_tally_stripe();
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
                        INSERT INTO partner_tally_stripes AS t (country, kind, stripe, count) VALUES (OLD.country, OLD.kind, s, -1)
                            ON CONFLICT (country, kind, stripe) DO UPDATE SET count = t.count + excluded.count;
                    END IF;
                    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.deleted_at IS NULL THEN
                        INSERT INTO partner_tally_stripes AS t (country, kind, stripe, count) VALUES (NEW.country, NEW.kind, s, 1)
                            ON CONFLICT (country, kind, stripe) DO UPDATE SET count = t.count + excluded.count;
                    END IF;
                    -- A partner that changes country or kind takes its partnerships with it (under lock_partner_moves,
                    -- exclusive: no agreement writer is in flight).
                    IF TG_OP = 'UPDATE' AND (OLD.country, OLD.kind) IS DISTINCT FROM (NEW.country, NEW.kind) THEN
                        INSERT INTO partnership_tally_stripes AS t (country, kind, year, stripe, count)
                            SELECT country, kind, year, s, sum(n) FROM (
                                SELECT OLD.country AS country, OLD.kind AS kind, extract(year FROM signed_on)::int AS year, -count(*) AS n
                                FROM agreements WHERE partner_id = NEW.id AND linkj_counts_as_partnership(status, deleted_at, supersedes_id) GROUP BY 3
                                UNION ALL
                                SELECT NEW.country, NEW.kind, extract(year FROM signed_on)::int, count(*)
                                FROM agreements WHERE partner_id = NEW.id AND linkj_counts_as_partnership(status, deleted_at, supersedes_id) GROUP BY 3
                            ) moved
                            GROUP BY country, kind, year HAVING sum(n) <> 0 ORDER BY country, kind, year
                            ON CONFLICT (country, kind, year, stripe) DO UPDATE SET count = t.count + excluded.count;
                    END IF;
                    IF TG_OP = 'UPDATE' AND OLD.kind IS DISTINCT FROM NEW.kind THEN
                        INSERT INTO partnership_month_tallies AS t (kind, month, stripe, count)
                            SELECT kind, month, s, sum(n) FROM (
                                SELECT OLD.kind AS kind, date_trunc('month', signed_on)::date AS month, -count(*) AS n
                                FROM agreements WHERE partner_id = NEW.id AND linkj_counts_as_partnership(status, deleted_at, supersedes_id) GROUP BY 2
                                UNION ALL
                                SELECT NEW.kind, date_trunc('month', signed_on)::date, count(*)
                                FROM agreements WHERE partner_id = NEW.id AND linkj_counts_as_partnership(status, deleted_at, supersedes_id) GROUP BY 2
                            ) moved
                            GROUP BY kind, month HAVING sum(n) <> 0 ORDER BY kind, month
                            ON CONFLICT (kind, month, stripe) DO UPDATE SET count = t.count + excluded.count;
                        INSERT INTO partnership_year_tallies AS t (kind, year, stripe, count)
                            SELECT kind, year, s, sum(n) FROM (
                                SELECT OLD.kind AS kind, extract(year FROM signed_on)::int AS year, -count(*) AS n
                                FROM agreements WHERE partner_id = NEW.id AND linkj_counts_as_partnership(status, deleted_at, supersedes_id) GROUP BY 2
                                UNION ALL
                                SELECT NEW.kind, extract(year FROM signed_on)::int, count(*)
                                FROM agreements WHERE partner_id = NEW.id AND linkj_counts_as_partnership(status, deleted_at, supersedes_id) GROUP BY 2
                            ) moved
                            GROUP BY kind, year HAVING sum(n) <> 0 ORDER BY kind, year
                            ON CONFLICT (kind, year, stripe) DO UPDATE SET count = t.count + excluded.count;
                        UPDATE agreements SET partner_kind = NEW.kind WHERE partner_id = NEW.id AND partner_kind IS DISTINCT FROM NEW.kind;
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION fold_tallies() RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    IF NOT pg_try_advisory_xact_lock_shared(83909096721999) OR NOT pg_try_advisory_xact_lock(4999, 0) THEN
                        RETURN;
                    END IF;
                    IF EXISTS (SELECT FROM partnership_month_tallies WHERE stripe <> 0) THEN
                        WITH gone AS (DELETE FROM partnership_month_tallies WHERE ctid IN (
                                          SELECT ctid FROM partnership_month_tallies WHERE stripe <> 0 FOR UPDATE SKIP LOCKED)
                                      RETURNING kind, month, count)
                        INSERT INTO partnership_month_tallies AS t (kind, month, stripe, count)
                            SELECT kind, month, 0, sum(count) FROM gone GROUP BY kind, month ORDER BY kind, month
                            ON CONFLICT (kind, month, stripe) DO UPDATE SET count = t.count + excluded.count;
                    END IF;
                    IF EXISTS (SELECT FROM partnership_year_tallies WHERE stripe <> 0) THEN
                        WITH gone AS (DELETE FROM partnership_year_tallies WHERE ctid IN (
                                          SELECT ctid FROM partnership_year_tallies WHERE stripe <> 0 FOR UPDATE SKIP LOCKED)
                                      RETURNING kind, year, count)
                        INSERT INTO partnership_year_tallies AS t (kind, year, stripe, count)
                            SELECT kind, year, 0, sum(count) FROM gone GROUP BY kind, year ORDER BY kind, year
                            ON CONFLICT (kind, year, stripe) DO UPDATE SET count = t.count + excluded.count;
                    END IF;
                    IF EXISTS (SELECT FROM partnership_tally_stripes WHERE stripe <> 0) THEN
                        WITH gone AS (DELETE FROM partnership_tally_stripes WHERE ctid IN (
                                          SELECT ctid FROM partnership_tally_stripes WHERE stripe <> 0 FOR UPDATE SKIP LOCKED)
                                      RETURNING country, kind, year, count)
                        INSERT INTO partnership_tally_stripes AS t (country, kind, year, stripe, count)
                            SELECT country, kind, year, 0, sum(count) FROM gone GROUP BY country, kind, year ORDER BY country, kind, year
                            ON CONFLICT (country, kind, year, stripe) DO UPDATE SET count = t.count + excluded.count;
                    END IF;
                    IF EXISTS (SELECT FROM agreement_status_tally_stripes WHERE stripe <> 0) THEN
                        WITH gone AS (DELETE FROM agreement_status_tally_stripes WHERE ctid IN (
                                          SELECT ctid FROM agreement_status_tally_stripes WHERE stripe <> 0 FOR UPDATE SKIP LOCKED)
                                      RETURNING status, count)
                        INSERT INTO agreement_status_tally_stripes AS t (status, stripe, count)
                            SELECT status, 0, sum(count) FROM gone GROUP BY status ORDER BY status
                            ON CONFLICT (status, stripe) DO UPDATE SET count = t.count + excluded.count;
                    END IF;
                    IF EXISTS (SELECT FROM scope_tally_stripes WHERE stripe <> 0) THEN
                        WITH gone AS (DELETE FROM scope_tally_stripes WHERE ctid IN (
                                          SELECT ctid FROM scope_tally_stripes WHERE stripe <> 0 FOR UPDATE SKIP LOCKED)
                                      RETURNING code, count)
                        INSERT INTO scope_tally_stripes AS t (code, stripe, count)
                            SELECT code, 0, sum(count) FROM gone GROUP BY code ORDER BY code
                            ON CONFLICT (code, stripe) DO UPDATE SET count = t.count + excluded.count;
                    END IF;
                    IF EXISTS (SELECT FROM partner_tally_stripes WHERE stripe <> 0) THEN
                        WITH gone AS (DELETE FROM partner_tally_stripes WHERE ctid IN (
                                          SELECT ctid FROM partner_tally_stripes WHERE stripe <> 0 FOR UPDATE SKIP LOCKED)
                                      RETURNING country, kind, count)
                        INSERT INTO partner_tally_stripes AS t (country, kind, stripe, count)
                            SELECT country, kind, 0, sum(count) FROM gone GROUP BY country, kind ORDER BY country, kind
                            ON CONFLICT (country, kind, stripe) DO UPDATE SET count = t.count + excluded.count;
                    END IF;
                END $$;

                CREATE OR REPLACE FUNCTION recount_tallies() RETURNS void LANGUAGE sql AS $$
                    SELECT pg_advisory_xact_lock(83909096721999);
                    UPDATE agreements a SET partner_kind = p.kind FROM partners p WHERE p.id = a.partner_id AND a.partner_kind IS DISTINCT FROM p.kind;
                    DELETE FROM partner_tally_stripes;
                    DELETE FROM agreement_status_tally_stripes;
                    DELETE FROM partnership_tally_stripes;
                    DELETE FROM partnership_month_tallies;
                    DELETE FROM partnership_year_tallies;
                    DELETE FROM scope_tally_stripes;
                    INSERT INTO partner_tally_stripes (country, kind, stripe, count)
                        SELECT country, kind, 0, count(*) FROM partners WHERE deleted_at IS NULL GROUP BY 1, 2;
                    INSERT INTO agreement_status_tally_stripes (status, stripe, count)
                        SELECT status, 0, count(*) FROM agreements WHERE deleted_at IS NULL GROUP BY status;
                    INSERT INTO partnership_tally_stripes (country, kind, year, stripe, count)
                        SELECT p.country, p.kind, extract(year FROM a.signed_on)::int, 0, count(*)
                        FROM agreements a JOIN partners p ON p.id = a.partner_id
                        WHERE linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id) GROUP BY 1, 2, 3;
                    INSERT INTO partnership_month_tallies (kind, month, stripe, count)
                        SELECT p.kind, date_trunc('month', a.signed_on)::date, 0, count(*)
                        FROM agreements a JOIN partners p ON p.id = a.partner_id
                        WHERE linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id) GROUP BY 1, 2;
                    INSERT INTO partnership_year_tallies (kind, year, stripe, count)
                        SELECT kind, extract(year FROM month)::int, 0, sum(count) FROM partnership_month_tallies GROUP BY 1, 2;
                    INSERT INTO scope_tally_stripes (code, stripe, count)
                        SELECT code, 0, count(*) FROM agreements a, unnest(a.scopes) AS code
                        WHERE linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id) GROUP BY code;
                $$;

                -- Both running numbers of a counted agreement (none for one that does not count): partnerships signed in
                -- earlier years, in earlier months of its year, and up to it in its month, in signing order (signed_on, seq),
                -- in the caller's snapshot. A SQL function of one SELECT, returning a set: PostgreSQL inlines it into the
                -- calling query (FROM … LATERAL linkj_ordinals(…)), so it is planned (and prepared) with that query.
                CREATE FUNCTION linkj_ordinals(p_counted boolean, p_kind text, p_signed date, p_seq bigint)
                RETURNS TABLE (overall bigint, within_kind bigint) LANGUAGE sql STABLE PARALLEL SAFE AS $$
                    SELECT y.overall + m.overall + r.overall, y.within_kind + m.within_kind + r.within_kind
                    FROM (SELECT coalesce(sum(t.count), 0)::bigint AS overall,
                                 coalesce(sum(t.count) FILTER (WHERE t.kind = p_kind), 0)::bigint AS within_kind
                          FROM partnership_year_tallies t
                          WHERE t.year < extract(year FROM p_signed)::int AND p_counted) y,
                         (SELECT coalesce(sum(t.count), 0)::bigint AS overall,
                                 coalesce(sum(t.count) FILTER (WHERE t.kind = p_kind), 0)::bigint AS within_kind
                          FROM partnership_month_tallies t
                          WHERE t.month >= make_date(extract(year FROM p_signed)::int, 1, 1)
                            AND t.month < make_date(extract(year FROM p_signed)::int, extract(month FROM p_signed)::int, 1) AND p_counted) m,
                         (SELECT count(*) AS overall, count(*) FILTER (WHERE b.partner_kind = p_kind) AS within_kind
                          FROM agreements b
                          WHERE b.deleted_at IS NULL AND b.status <> 'draft' AND b.supersedes_id IS NULL
                            AND b.signed_on >= make_date(extract(year FROM p_signed)::int, extract(month FROM p_signed)::int, 1)
                            AND (b.signed_on, b.seq) <= (p_signed, p_seq) AND p_counted) r
                    WHERE p_counted
                $$;

                -- A bulk write (an import, ADR 0041), in one transaction: linkj_bulk_begin() makes the agreements' tally
                -- trigger collect its deltas (transaction-local: a pooled connection never keeps the flag), and
                -- linkj_bulk_end(), before the commit, adds their sums to the tallies in one statement per table, as
                -- the row-by-row trigger would have; readers see both or neither.
                CREATE FUNCTION linkj_bulk_begin() RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    CREATE TEMP TABLE IF NOT EXISTS linkj_bulk_tallies (
                        status varchar(40), deleted_at timestamptz, supersedes_id uuid, partner_id uuid, signed_on date, scopes text[], delta int)
                        ON COMMIT DELETE ROWS;
                    PERFORM set_config('linkj.bulk', 'on', true);
                END $$;
                CREATE FUNCTION linkj_bulk_end() RETURNS void LANGUAGE plpgsql AS $$
                DECLARE
                    s int := linkj_tally_stripe();
                BEGIN
                    PERFORM set_config('linkj.bulk', '', true);
                    INSERT INTO agreement_status_tally_stripes AS t (status, stripe, count)
                        SELECT b.status, s, sum(b.delta) FROM pg_temp.linkj_bulk_tallies b WHERE b.deleted_at IS NULL
                        GROUP BY b.status HAVING sum(b.delta) <> 0 ORDER BY b.status
                        ON CONFLICT (status, stripe) DO UPDATE SET count = t.count + excluded.count;
                    CREATE TEMP TABLE linkj_bulk_counted ON COMMIT DROP AS
                        SELECT p.country, p.kind, b.signed_on, b.scopes, b.delta
                        FROM pg_temp.linkj_bulk_tallies b JOIN partners p ON p.id = b.partner_id
                        WHERE linkj_counts_as_partnership(b.status, b.deleted_at, b.supersedes_id);
                    INSERT INTO partnership_tally_stripes AS t (country, kind, year, stripe, count)
                        SELECT c.country, c.kind, extract(year FROM c.signed_on)::int, s, sum(c.delta) FROM linkj_bulk_counted c
                        GROUP BY 1, 2, 3 HAVING sum(c.delta) <> 0 ORDER BY 1, 2, 3
                        ON CONFLICT (country, kind, year, stripe) DO UPDATE SET count = t.count + excluded.count;
                    INSERT INTO partnership_month_tallies AS t (kind, month, stripe, count)
                        SELECT c.kind, date_trunc('month', c.signed_on)::date, s, sum(c.delta) FROM linkj_bulk_counted c
                        GROUP BY 1, 2 HAVING sum(c.delta) <> 0 ORDER BY 1, 2
                        ON CONFLICT (kind, month, stripe) DO UPDATE SET count = t.count + excluded.count;
                    INSERT INTO partnership_year_tallies AS t (kind, year, stripe, count)
                        SELECT c.kind, extract(year FROM c.signed_on)::int, s, sum(c.delta) FROM linkj_bulk_counted c
                        GROUP BY 1, 2 HAVING sum(c.delta) <> 0 ORDER BY 1, 2
                        ON CONFLICT (kind, year, stripe) DO UPDATE SET count = t.count + excluded.count;
                    INSERT INTO scope_tally_stripes AS t (code, stripe, count)
                        SELECT code, s, sum(c.delta) FROM linkj_bulk_counted c, unnest(c.scopes) AS code
                        GROUP BY code HAVING sum(c.delta) <> 0 ORDER BY code
                        ON CONFLICT (code, stripe) DO UPDATE SET count = t.count + excluded.count;
                    DROP TABLE linkj_bulk_counted;
                    DELETE FROM pg_temp.linkj_bulk_tallies;
                END $$;

                -- The agreements' trigram index takes new entries through a pending list again, bounded to 64 kB (about
                -- a hundred rows' trigrams): an insert appends instead of updating ~40 posting lists, and the inserter
                -- that overflows the list merges it in one pass (an import: about half of its index time). ADR 0031
                -- turned the list off because, unbounded (4 MB) until the next vacuum, every search read it whole; a
                -- search reads at most 64 kB of it now (ADR 0041).
                ALTER INDEX ix_agreements_search_text SET (fastupdate = on, gin_pending_list_limit = 64);

                DROP VIEW agreement_ordinals;
                DROP VIEW agreements_with_ordinals;
                DROP FUNCTION linkj_agreement_ordinal_overall(uuid);
                DROP FUNCTION linkj_agreement_ordinal_within_kind(uuid);

                -- A new agreement's numbers, returned by its insert (ADR 0033): its rank among what its transaction sees, plus itself.
                CREATE OR REPLACE FUNCTION agreements_number_new() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.partner_kind := (SELECT kind FROM partners WHERE id = NEW.partner_id);
                    IF TG_OP = 'INSERT' THEN
                        NEW.ordinal_overall := NULL;
                        NEW.ordinal_within_kind := NULL;
                        -- A bulk write (an import) returns no numbers: none is computed.
                        IF current_setting('linkj.bulk', true) = 'on' THEN
                            RETURN NEW;
                        END IF;
                        SELECT o.overall + 1, o.within_kind + 1 INTO NEW.ordinal_overall, NEW.ordinal_within_kind
                        FROM linkj_ordinals(linkj_counts_as_partnership(NEW.status, NEW.deleted_at, NEW.supersedes_id),
                                            NEW.partner_kind, NEW.signed_on, NEW.seq) o;
                    END IF;
                    RETURN NEW;
                END $$;

                DROP FUNCTION linkj_ordinal_overall(date, bigint);
                DROP FUNCTION linkj_ordinal_within_kind(text, date, bigint);

                -- The write side's read-back (RunningNumbers in the application, through EF): PL/pgSQL keeps its plan.
                CREATE FUNCTION linkj_agreement_ordinal_overall(p_id uuid) RETURNS bigint LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
                BEGIN
                    RETURN (SELECT o.overall FROM agreements a,
                            LATERAL linkj_ordinals(linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id), a.partner_kind, a.signed_on, a.seq) o
                            WHERE a.id = p_id);
                END $$;
                CREATE FUNCTION linkj_agreement_ordinal_within_kind(p_id uuid) RETURNS bigint LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
                BEGIN
                    RETURN (SELECT o.within_kind FROM agreements a,
                            LATERAL linkj_ordinals(linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id), a.partner_kind, a.signed_on, a.seq) o
                            WHERE a.id = p_id);
                END $$;

                -- Every agreement with its numbers, for SQL readers; numbers are computed only for the rows a query returns.
                CREATE VIEW agreements_with_ordinals AS
                SELECT a.id, a.partner_id, a.type, a.title_ja, a.title_en, a.signed_on, a.signed_on_precision, a.status,
                       a.valid_from, a.valid_until, a.term_months, a.scopes, a.scopes_open_ended, a.cooperation_note, a.signatories,
                       a.source_note, a.supersedes_id, a.terminated_on, a.termination_reason, a.external_source, a.external_id,
                       a.search_text, a.seq, a.version, a.created_at, a.updated_at, a.deleted_at,
                       o.overall AS ordinal_overall, o.within_kind AS ordinal_within_kind
                FROM agreements a
                LEFT JOIN LATERAL linkj_ordinals(linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id),
                                                 a.partner_kind, a.signed_on, a.seq) o ON TRUE;

                CREATE VIEW agreement_ordinals AS
                SELECT id AS agreement_id, ordinal_overall AS overall, ordinal_within_kind AS within_partner_kind
                FROM agreements_with_ordinals
                WHERE linkj_counts_as_partnership(status, deleted_at, supersedes_id);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // One way, like RunningNumbersAtReadTime before it: restore a backup taken before this migration instead.
            throw new NotSupportedException("OrdinalsInOneQuery cannot be reverted; restore a backup taken before it.");
        }
    }
}
