using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DayTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // An agreement's running numbers counted its rank inside its month, one counted-order index entry per
            // agreement of the month before it: ~400 entries at 100k, ~4,400 at 1m, where a read by id spent 1.3 ms of its
            // PostgreSQL time on it and a search's ten rows 12 ms (ADR 0059). Now a tally per partner kind and signing day
            // as well, kept with the month and year tallies by the same trigger (and the same stripes, fold, bulk end,
            // recount and partner moves), and the rank counted inside the agreement's day only.
            migrationBuilder.Sql("""
                -- Running numbers without counting a month's rows (ADR 0059): a tally per partner kind and signing day, kept as the
                -- month and year tallies are (the same trigger, stripes, fold, bulk end, recount and partner moves), so an agreement's
                -- number is the tallies of earlier years, of earlier months of its year and of earlier days of its month, plus its rank
                -- among the agreements of its own day.
                CREATE TABLE partnership_day_tallies (
                    kind varchar(40) NOT NULL,
                    day date NOT NULL,
                    stripe int NOT NULL,
                    count bigint NOT NULL,
                    CONSTRAINT pk_partnership_day_tallies PRIMARY KEY (kind, day, stripe));
                -- A read sums a month's earlier days from this index alone (index-only while the table is all-visible); the
                -- price is that a tally's update is never HOT (two index entries per counted write).
                CREATE INDEX ix_partnership_day_tallies_day ON partnership_day_tallies (day) INCLUDE (kind, count);
                INSERT INTO partnership_day_tallies (kind, day, stripe, count)
                    SELECT p.kind, a.signed_on, 0, count(*)
                    FROM agreements a JOIN partners p ON p.id = a.partner_id
                    WHERE linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id) GROUP BY 1, 2;

                CREATE OR REPLACE FUNCTION public.tally_agreement(a agreements, delta integer)
                 RETURNS void
                 LANGUAGE plpgsql
                AS $$
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
                    INSERT INTO partnership_day_tallies AS t (kind, day, stripe, count)
                        VALUES (partner_kind, a.signed_on, s, delta)
                        ON CONFLICT (kind, day, stripe) DO UPDATE SET count = t.count + excluded.count;
                    INSERT INTO partnership_year_tallies AS t (kind, year, stripe, count)
                        VALUES (partner_kind, extract(year FROM a.signed_on)::int, s, delta)
                        ON CONFLICT (kind, year, stripe) DO UPDATE SET count = t.count + excluded.count;
                    INSERT INTO scope_tally_stripes AS t (code, stripe, count)
                        SELECT code, s, delta * count(*) FROM unnest(a.scopes) AS code GROUP BY code ORDER BY code
                        ON CONFLICT (code, stripe) DO UPDATE SET count = t.count + excluded.count;
                END $$;

                CREATE OR REPLACE FUNCTION public.partners_tallies_changed()
                 RETURNS trigger
                 LANGUAGE plpgsql
                AS $$
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
                        INSERT INTO partnership_day_tallies AS t (kind, day, stripe, count)
                            SELECT kind, day, s, sum(n) FROM (
                                SELECT OLD.kind AS kind, signed_on AS day, -count(*) AS n
                                FROM agreements WHERE partner_id = NEW.id AND linkj_counts_as_partnership(status, deleted_at, supersedes_id) GROUP BY 2
                                UNION ALL
                                SELECT NEW.kind, signed_on, count(*)
                                FROM agreements WHERE partner_id = NEW.id AND linkj_counts_as_partnership(status, deleted_at, supersedes_id) GROUP BY 2
                            ) moved
                            GROUP BY kind, day HAVING sum(n) <> 0 ORDER BY kind, day
                            ON CONFLICT (kind, day, stripe) DO UPDATE SET count = t.count + excluded.count;
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

                CREATE OR REPLACE FUNCTION public.fold_tallies()
                 RETURNS void
                 LANGUAGE plpgsql
                AS $$
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
                    IF EXISTS (SELECT FROM partnership_day_tallies WHERE stripe <> 0) THEN
                        WITH gone AS (DELETE FROM partnership_day_tallies WHERE ctid IN (
                                          SELECT ctid FROM partnership_day_tallies WHERE stripe <> 0 FOR UPDATE SKIP LOCKED)
                                      RETURNING kind, day, count)
                        INSERT INTO partnership_day_tallies AS t (kind, day, stripe, count)
                            SELECT kind, day, 0, sum(count) FROM gone GROUP BY kind, day ORDER BY kind, day
                            ON CONFLICT (kind, day, stripe) DO UPDATE SET count = t.count + excluded.count;
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

                CREATE OR REPLACE FUNCTION public.recount_tallies()
                 RETURNS void
                 LANGUAGE sql
                AS $$
                    SELECT pg_advisory_xact_lock(83909096721999);
                    UPDATE agreements a SET partner_kind = p.kind FROM partners p WHERE p.id = a.partner_id AND a.partner_kind IS DISTINCT FROM p.kind;
                    DELETE FROM partner_tally_stripes;
                    DELETE FROM agreement_status_tally_stripes;
                    DELETE FROM partnership_tally_stripes;
                    DELETE FROM partnership_month_tallies;
                    DELETE FROM partnership_day_tallies;
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
                    INSERT INTO partnership_day_tallies (kind, day, stripe, count)
                        SELECT p.kind, a.signed_on, 0, count(*)
                        FROM agreements a JOIN partners p ON p.id = a.partner_id
                        WHERE linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id) GROUP BY 1, 2;
                    INSERT INTO partnership_year_tallies (kind, year, stripe, count)
                        SELECT kind, extract(year FROM month)::int, 0, sum(count) FROM partnership_month_tallies GROUP BY 1, 2;
                    INSERT INTO scope_tally_stripes (code, stripe, count)
                        SELECT code, 0, count(*) FROM agreements a, unnest(a.scopes) AS code
                        WHERE linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id) GROUP BY code;
                $$;

                CREATE OR REPLACE FUNCTION public.linkj_bulk_end()
                 RETURNS void
                 LANGUAGE plpgsql
                AS $$
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
                    INSERT INTO partnership_day_tallies AS t (kind, day, stripe, count)
                        SELECT c.kind, c.signed_on, s, sum(c.delta) FROM linkj_bulk_counted c
                        GROUP BY 1, 2 HAVING sum(c.delta) <> 0 ORDER BY 1, 2
                        ON CONFLICT (kind, day, stripe) DO UPDATE SET count = t.count + excluded.count;
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

                CREATE OR REPLACE FUNCTION public.linkj_ordinals(p_counted boolean, p_kind text, p_signed date, p_seq bigint)
                 RETURNS TABLE(overall bigint, within_kind bigint)
                 LANGUAGE sql
                 STABLE PARALLEL SAFE
                AS $$
                    SELECT y.overall + m.overall + d.overall + r.overall, y.within_kind + m.within_kind + d.within_kind + r.within_kind
                    FROM (SELECT coalesce(sum(t.count), 0)::bigint AS overall,
                                 coalesce(sum(t.count) FILTER (WHERE t.kind = p_kind), 0)::bigint AS within_kind
                          FROM partnership_year_tallies t
                          WHERE t.year < extract(year FROM p_signed)::int AND p_counted) y,
                         (SELECT coalesce(sum(t.count), 0)::bigint AS overall,
                                 coalesce(sum(t.count) FILTER (WHERE t.kind = p_kind), 0)::bigint AS within_kind
                          FROM partnership_month_tallies t
                          WHERE t.month >= make_date(extract(year FROM p_signed)::int, 1, 1)
                            AND t.month < make_date(extract(year FROM p_signed)::int, extract(month FROM p_signed)::int, 1) AND p_counted) m,
                         (SELECT coalesce(sum(t.count), 0)::bigint AS overall,
                                 coalesce(sum(t.count) FILTER (WHERE t.kind = p_kind), 0)::bigint AS within_kind
                          FROM partnership_day_tallies t
                          WHERE t.day >= make_date(extract(year FROM p_signed)::int, extract(month FROM p_signed)::int, 1)
                            AND t.day < p_signed AND p_counted) d,
                         (SELECT count(*) AS overall, count(*) FILTER (WHERE b.partner_kind = p_kind) AS within_kind
                          FROM agreements b
                          WHERE b.deleted_at IS NULL AND b.status <> 'draft' AND b.supersedes_id IS NULL
                            AND b.signed_on = p_signed AND b.seq <= p_seq AND p_counted) r
                    WHERE p_counted
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION public.tally_agreement(a agreements, delta integer)
                 RETURNS void
                 LANGUAGE plpgsql
                AS $$
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

                CREATE OR REPLACE FUNCTION public.partners_tallies_changed()
                 RETURNS trigger
                 LANGUAGE plpgsql
                AS $$
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

                CREATE OR REPLACE FUNCTION public.fold_tallies()
                 RETURNS void
                 LANGUAGE plpgsql
                AS $$
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

                CREATE OR REPLACE FUNCTION public.recount_tallies()
                 RETURNS void
                 LANGUAGE sql
                AS $$
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

                CREATE OR REPLACE FUNCTION public.linkj_bulk_end()
                 RETURNS void
                 LANGUAGE plpgsql
                AS $$
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

                CREATE OR REPLACE FUNCTION public.linkj_ordinals(p_counted boolean, p_kind text, p_signed date, p_seq bigint)
                 RETURNS TABLE(overall bigint, within_kind bigint)
                 LANGUAGE sql
                 STABLE PARALLEL SAFE
                AS $$
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

                DROP TABLE partnership_day_tallies;
                """);
        }
    }
}
