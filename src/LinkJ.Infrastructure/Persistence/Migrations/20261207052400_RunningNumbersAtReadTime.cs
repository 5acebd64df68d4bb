using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RunningNumbersAtReadTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The running numbers were stored on each agreement and renumbered by triggers under one lock that every
            // agreement write took and held through its commit: a create dated in the past rewrote every later agreement
            // while every other writer waited (ADR 0003, 0010, 0014). They are now derived in the reader's snapshot
            // (ADR 0033): an agreement's number is the count of partnerships in the months before its own (per-month
            // tallies) plus its rank inside its month (a range of an index). Tallies are kept in stripes, one per
            // backend (pid), so concurrent writers meet on a row only when their backends share a stripe; the sweep
            // folds stripes into stripe 0 to keep the sums short. Writers take the old lock in SHARED mode (they do not
            // wait for each other), and a partner's kind or country change, which moves many tallies at once, takes it
            // EXCLUSIVE as before.
            migrationBuilder.Sql("""
                -- The one place the rule lives: drafts, deleted agreements and renewals are not partnerships.
                CREATE OR REPLACE FUNCTION linkj_counts_as_partnership(status text, deleted_at timestamptz, supersedes_id uuid) RETURNS boolean
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL $$;

                DROP TRIGGER agreements_ordinals ON agreements;
                DROP FUNCTION agreements_ordinals_changed();
                DROP TRIGGER partners_kind ON partners;
                DROP FUNCTION partners_kind_changed();
                DROP FUNCTION renumber_all_agreement_ordinals();
                DROP FUNCTION renumber_agreement_ordinals(date, bigint, text[]);
                DROP INDEX ix_agreements_ordinal_overall;
                DROP VIEW agreement_ordinals;

                -- The partner's kind on the agreement, for the rank inside a month within a kind (an index range, no join).
                ALTER TABLE agreements ADD COLUMN partner_kind varchar(40);
                UPDATE agreements a SET partner_kind = p.kind FROM partners p WHERE p.id = a.partner_id;
                CREATE INDEX ix_agreements_counted_kind_order ON agreements (partner_kind, signed_on, seq)
                    WHERE deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL;

                -- A writer's stripe: its backend's. Two transactions with the same stripe never run at once unless their
                -- backends' pids collide modulo 64; the stripe lock below orders those.
                CREATE FUNCTION linkj_tally_stripe() RETURNS int LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT 1 + pg_backend_pid() % 64 $$;

                ALTER TABLE partner_tallies RENAME TO partner_tally_stripes;
                ALTER TABLE partner_tally_stripes ADD COLUMN stripe int NOT NULL DEFAULT 0;
                ALTER TABLE partner_tally_stripes DROP CONSTRAINT pk_partner_tallies;
                ALTER TABLE partner_tally_stripes ADD CONSTRAINT pk_partner_tally_stripes PRIMARY KEY (country, kind, stripe);
                CREATE VIEW partner_tallies AS
                    SELECT country, kind, sum(count)::bigint AS count FROM partner_tally_stripes GROUP BY country, kind;

                ALTER TABLE partnership_tallies RENAME TO partnership_tally_stripes;
                ALTER TABLE partnership_tally_stripes ADD COLUMN stripe int NOT NULL DEFAULT 0;
                ALTER TABLE partnership_tally_stripes DROP CONSTRAINT pk_partnership_tallies;
                ALTER TABLE partnership_tally_stripes ADD CONSTRAINT pk_partnership_tally_stripes PRIMARY KEY (country, kind, year, stripe);
                CREATE VIEW partnership_tallies AS
                    SELECT country, kind, year, sum(count)::bigint AS count FROM partnership_tally_stripes GROUP BY country, kind, year;

                ALTER TABLE agreement_status_tallies RENAME TO agreement_status_tally_stripes;
                ALTER TABLE agreement_status_tally_stripes ADD COLUMN stripe int NOT NULL DEFAULT 0;
                ALTER TABLE agreement_status_tally_stripes DROP CONSTRAINT pk_agreement_status_tallies;
                ALTER TABLE agreement_status_tally_stripes ADD CONSTRAINT pk_agreement_status_tally_stripes PRIMARY KEY (status, stripe);
                CREATE VIEW agreement_status_tallies AS
                    SELECT status, sum(count)::bigint AS count FROM agreement_status_tally_stripes GROUP BY status;

                ALTER TABLE scope_tallies RENAME TO scope_tally_stripes;
                ALTER TABLE scope_tally_stripes ADD COLUMN stripe int NOT NULL DEFAULT 0;
                ALTER TABLE scope_tally_stripes DROP CONSTRAINT pk_scope_tallies;
                ALTER TABLE scope_tally_stripes ADD CONSTRAINT pk_scope_tally_stripes PRIMARY KEY (code, stripe);
                CREATE VIEW scope_tallies AS
                    SELECT code, sum(count)::bigint AS count FROM scope_tally_stripes GROUP BY code;

                -- Partnerships per partner kind and month (the first day of the month): the running numbers' prefix sums.
                CREATE TABLE partnership_month_tallies (
                    kind varchar(40) NOT NULL,
                    month date NOT NULL,
                    stripe int NOT NULL,
                    count bigint NOT NULL,
                    CONSTRAINT pk_partnership_month_tallies PRIMARY KEY (kind, month, stripe));

                -- Agreement writes: the running numbers' lock in SHARED mode (they do not wait for each other; a partner's
                -- kind or country change waits for them and they for it), then their stripe's lock. Taken before the
                -- statement locks any row, as before.
                CREATE OR REPLACE FUNCTION lock_agreement_ordinals() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock_shared(83909096721999);
                    PERFORM pg_advisory_xact_lock(4999, linkj_tally_stripe());
                    RETURN NULL;
                END $$;
                CREATE FUNCTION lock_partner_moves() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(83909096721999);
                    RETURN NULL;
                END $$;
                DROP TRIGGER partners_kind_lock ON partners;
                CREATE TRIGGER partners_kind_lock BEFORE UPDATE OF kind, country ON partners
                    FOR EACH STATEMENT EXECUTE FUNCTION lock_partner_moves();

                -- An agreement's number overall: partnerships in earlier months, plus its rank inside its month (itself
                -- included when it is visible). Evaluated in the caller's snapshot, so exact in every read.
                -- PL/pgSQL, not SQL: a backend keeps its plans across calls and requests (a SQL function with a FROM is
                -- planned again in every query that calls it, which cost more than running it).
                CREATE FUNCTION linkj_ordinal_overall(p_signed date, p_seq bigint) RETURNS bigint LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
                DECLARE
                    m date := date_trunc('month', p_signed)::date;
                BEGIN
                    RETURN (SELECT coalesce(sum(t.count), 0) FROM partnership_month_tallies t WHERE t.month < m)::bigint
                         + (SELECT count(*) FROM agreements a
                            WHERE linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id)
                              AND a.signed_on >= m AND (a.signed_on, a.seq) <= (p_signed, p_seq));
                END $$;
                CREATE FUNCTION linkj_ordinal_within_kind(p_kind text, p_signed date, p_seq bigint) RETURNS bigint LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
                DECLARE
                    m date := date_trunc('month', p_signed)::date;
                BEGIN
                    RETURN (SELECT coalesce(sum(t.count), 0) FROM partnership_month_tallies t WHERE t.kind = p_kind AND t.month < m)::bigint
                         + (SELECT count(*) FROM agreements a
                            WHERE linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id) AND a.partner_kind = p_kind
                              AND a.signed_on >= m AND (a.signed_on, a.seq) <= (p_signed, p_seq));
                END $$;

                -- What the API's queries call for each agreement they return (RunningNumbers in the application).
                CREATE FUNCTION linkj_agreement_ordinal_overall(p_id uuid) RETURNS bigint LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
                DECLARE
                    r record;
                BEGIN
                    SELECT status, deleted_at, supersedes_id, signed_on, seq INTO r FROM agreements WHERE id = p_id;
                    IF NOT FOUND OR NOT linkj_counts_as_partnership(r.status, r.deleted_at, r.supersedes_id) THEN
                        RETURN NULL;
                    END IF;
                    RETURN linkj_ordinal_overall(r.signed_on, r.seq);
                END $$;
                CREATE FUNCTION linkj_agreement_ordinal_within_kind(p_id uuid) RETURNS bigint LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
                DECLARE
                    r record;
                BEGIN
                    SELECT status, deleted_at, supersedes_id, signed_on, seq, partner_kind INTO r FROM agreements WHERE id = p_id;
                    IF NOT FOUND OR NOT linkj_counts_as_partnership(r.status, r.deleted_at, r.supersedes_id) THEN
                        RETURN NULL;
                    END IF;
                    RETURN linkj_ordinal_within_kind(r.partner_kind, r.signed_on, r.seq);
                END $$;

                -- Every agreement with its numbers, for SQL readers (the statistics' agreement_ordinals, tests, the
                -- bench's check). A projection of one table, which PostgreSQL flattens: numbers are computed only for
                -- the rows a query returns.
                CREATE VIEW agreements_with_ordinals AS
                SELECT a.id, a.partner_id, a.type, a.title_ja, a.title_en, a.signed_on, a.signed_on_precision, a.status,
                       a.valid_from, a.valid_until, a.term_months, a.scopes, a.scopes_open_ended, a.cooperation_note, a.signatories,
                       a.source_note, a.supersedes_id, a.terminated_on, a.termination_reason, a.external_source, a.external_id,
                       a.search_text, a.seq, a.version, a.created_at, a.updated_at, a.deleted_at,
                       CASE WHEN linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id)
                            THEN linkj_ordinal_overall(a.signed_on, a.seq) END AS ordinal_overall,
                       CASE WHEN linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id)
                            THEN linkj_ordinal_within_kind(a.partner_kind, a.signed_on, a.seq) END AS ordinal_within_kind
                FROM agreements a;

                CREATE VIEW agreement_ordinals AS
                SELECT id AS agreement_id, ordinal_overall AS overall, ordinal_within_kind AS within_partner_kind
                FROM agreements_with_ordinals
                WHERE linkj_counts_as_partnership(status, deleted_at, supersedes_id);

                -- A new agreement (or one moved to another partner) takes its partner's kind; a new one is numbered
                -- before it is written, so the insert returns the numbers its response shows (in the inserting
                -- transaction's snapshot). The stored numbers are never read again: reads derive them.
                CREATE OR REPLACE FUNCTION agreements_number_new() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.partner_kind := (SELECT kind FROM partners WHERE id = NEW.partner_id);
                    IF TG_OP = 'INSERT' THEN
                        IF linkj_counts_as_partnership(NEW.status, NEW.deleted_at, NEW.supersedes_id) THEN
                            NEW.ordinal_overall := linkj_ordinal_overall(NEW.signed_on, NEW.seq) + 1;
                            NEW.ordinal_within_kind := linkj_ordinal_within_kind(NEW.partner_kind, NEW.signed_on, NEW.seq) + 1;
                        ELSE
                            NEW.ordinal_overall := NULL;
                            NEW.ordinal_within_kind := NULL;
                        END IF;
                    END IF;
                    RETURN NEW;
                END $$;
                DROP TRIGGER agreements_number_new ON agreements;
                CREATE TRIGGER agreements_number_new BEFORE INSERT OR UPDATE OF partner_id ON agreements
                    FOR EACH ROW EXECUTE FUNCTION agreements_number_new();

                CREATE OR REPLACE FUNCTION tally_agreement(a agreements, delta int) RETURNS void LANGUAGE plpgsql AS $$
                DECLARE
                    partner_country char(2);
                    partner_kind varchar(40);
                    s int := linkj_tally_stripe();
                BEGIN
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
                        UPDATE agreements SET partner_kind = NEW.kind WHERE partner_id = NEW.id AND partner_kind IS DISTINCT FROM NEW.kind;
                    END IF;
                    RETURN NULL;
                END $$;

                -- Folds every stripe into stripe 0, so the sums read few rows; run by the sweep every second. Skips rows a
                -- writer holds (never waits for one), one fold at a time, and never beside a recount; writes nothing when
                -- there is nothing to fold.
                CREATE FUNCTION fold_tallies() RETURNS void LANGUAGE plpgsql AS $$
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

                -- Counts everything again (after a bulk load with the triggers disabled, or a test's reset), under the
                -- running numbers' lock held exclusively: no writer is in flight.
                DROP FUNCTION recount_tallies();
                CREATE FUNCTION recount_tallies() RETURNS void LANGUAGE sql AS $$
                    SELECT pg_advisory_xact_lock(83909096721999);
                    UPDATE agreements a SET partner_kind = p.kind FROM partners p WHERE p.id = a.partner_id AND a.partner_kind IS DISTINCT FROM p.kind;
                    DELETE FROM partner_tally_stripes;
                    DELETE FROM agreement_status_tally_stripes;
                    DELETE FROM partnership_tally_stripes;
                    DELETE FROM partnership_month_tallies;
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
                    INSERT INTO scope_tally_stripes (code, stripe, count)
                        SELECT code, 0, count(*) FROM agreements a, unnest(a.scopes) AS code
                        WHERE linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id) GROUP BY code;
                $$;
                -- Kept for bulk loads written against the stored numbers (bench/generate.sql): nothing is stored now
                -- but the partner's kind, which recount_tallies() fills.
                CREATE FUNCTION renumber_all_agreement_ordinals() RETURNS void LANGUAGE sql AS $$ SELECT recount_tallies() $$;
                SELECT recount_tallies();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // One way: the stored running numbers and their renumbering triggers are not recreated (restore the
            // database from before this migration instead).
            throw new NotSupportedException("RunningNumbersAtReadTime cannot be reverted; restore a backup taken before it.");
        }
    }
}
