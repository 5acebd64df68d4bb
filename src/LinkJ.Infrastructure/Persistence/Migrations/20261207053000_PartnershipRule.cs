using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// "Counts as a partnership" (not a draft, not deleted, not a renewal) was spelled out in every trigger and tally
    /// that numbers or counts partnerships. It is now one SQL function, the database's copy of the domain's
    /// <c>Agreement.CountsAsPartnership</c> (PartnershipRuleTests holds the two against each other), and every function
    /// is redefined to call it. The function is a single immutable SQL expression, so PostgreSQL inlines it into the
    /// queries that call it: their plans, and the partial index ix_agreements_counted_order they use, are unchanged.
    /// </summary>
    public partial class PartnershipRule : Migration
    {
        private const string CountsAsPartnership = """
            CREATE FUNCTION linkj_counts_as_partnership(status text, deleted_at timestamptz, supersedes_id uuid) RETURNS boolean
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                SELECT deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL
            $$;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(CountsAsPartnership + """

                CREATE OR REPLACE FUNCTION renumber_agreement_ordinals(from_signed date, from_seq bigint, kinds text[]) RETURNS void
                LANGUAGE plpgsql AS $$
                DECLARE
                    base bigint;
                    k text;
                BEGIN
                    SELECT ordinal_overall INTO base FROM agreements
                    WHERE linkj_counts_as_partnership(status, deleted_at, supersedes_id) AND (signed_on, seq) < (from_signed, from_seq)
                    ORDER BY signed_on DESC, seq DESC LIMIT 1;
                    UPDATE agreements a SET ordinal_overall = s.n
                    FROM (SELECT id, coalesce(base, 0) + row_number() OVER (ORDER BY signed_on, seq) AS n FROM agreements
                          WHERE linkj_counts_as_partnership(status, deleted_at, supersedes_id) AND (signed_on, seq) >= (from_signed, from_seq)) s
                    WHERE a.id = s.id AND a.ordinal_overall IS DISTINCT FROM s.n;

                    UPDATE agreements SET ordinal_overall = NULL, ordinal_within_kind = NULL
                    WHERE NOT linkj_counts_as_partnership(status, deleted_at, supersedes_id)
                      AND (signed_on, seq) >= (from_signed, from_seq)
                      AND (ordinal_overall IS NOT NULL OR ordinal_within_kind IS NOT NULL);

                    FOREACH k IN ARRAY kinds LOOP
                        base := NULL;
                        SELECT a.ordinal_within_kind INTO base FROM agreements a JOIN partners p ON p.id = a.partner_id
                        WHERE p.kind = k AND linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id)
                          AND (a.signed_on, a.seq) < (from_signed, from_seq)
                        ORDER BY a.signed_on DESC, a.seq DESC LIMIT 1;
                        UPDATE agreements a SET ordinal_within_kind = s.n
                        FROM (SELECT a2.id, coalesce(base, 0) + row_number() OVER (ORDER BY a2.signed_on, a2.seq) AS n
                              FROM agreements a2 JOIN partners p ON p.id = a2.partner_id
                              WHERE p.kind = k AND linkj_counts_as_partnership(a2.status, a2.deleted_at, a2.supersedes_id)
                                AND (a2.signed_on, a2.seq) >= (from_signed, from_seq)) s
                        WHERE a.id = s.id AND a.ordinal_within_kind IS DISTINCT FROM s.n;
                    END LOOP;
                END $$;

                CREATE OR REPLACE FUNCTION agreements_number_new() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    k text;
                BEGIN
                    IF linkj_counts_as_partnership(NEW.status, NEW.deleted_at, NEW.supersedes_id) THEN
                        SELECT kind INTO k FROM partners WHERE id = NEW.partner_id;
                        NEW.ordinal_overall := coalesce((
                            SELECT ordinal_overall FROM agreements
                            WHERE linkj_counts_as_partnership(status, deleted_at, supersedes_id) AND (signed_on, seq) < (NEW.signed_on, NEW.seq)
                            ORDER BY signed_on DESC, seq DESC LIMIT 1), 0) + 1;
                        NEW.ordinal_within_kind := coalesce((
                            SELECT a.ordinal_within_kind FROM agreements a JOIN partners p ON p.id = a.partner_id
                            WHERE p.kind = k
                              AND linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id)
                              AND (a.signed_on, a.seq) < (NEW.signed_on, NEW.seq)
                            ORDER BY a.signed_on DESC, a.seq DESC LIMIT 1), 0) + 1;
                    ELSE
                        NEW.ordinal_overall := NULL;
                        NEW.ordinal_within_kind := NULL;
                    END IF;
                    RETURN NEW;
                END $$;

                CREATE OR REPLACE FUNCTION tally_agreement(a agreements, delta int) RETURNS void LANGUAGE plpgsql AS $$
                DECLARE
                    partner_country char(2);
                    partner_kind varchar(40);
                BEGIN
                    IF a.deleted_at IS NOT NULL THEN
                        RETURN;
                    END IF;
                    INSERT INTO agreement_status_tallies AS t (status, count) VALUES (a.status, delta)
                        ON CONFLICT (status) DO UPDATE SET count = t.count + excluded.count;
                    IF NOT linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id) THEN
                        RETURN;
                    END IF;
                    SELECT country, kind INTO partner_country, partner_kind FROM partners WHERE id = a.partner_id;
                    INSERT INTO partnership_tallies AS t (country, kind, year, count)
                        VALUES (partner_country, partner_kind, extract(year FROM a.signed_on)::int, delta)
                        ON CONFLICT (country, kind, year) DO UPDATE SET count = t.count + excluded.count;
                    INSERT INTO scope_tallies AS t (code, count)
                        SELECT code, delta * count(*) FROM unnest(a.scopes) AS code GROUP BY code ORDER BY code
                        ON CONFLICT (code) DO UPDATE SET count = t.count + excluded.count;
                END $$;

                CREATE OR REPLACE FUNCTION partners_tallies_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
                        INSERT INTO partner_tallies AS t (country, kind, count) VALUES (OLD.country, OLD.kind, -1)
                            ON CONFLICT (country, kind) DO UPDATE SET count = t.count + excluded.count;
                    END IF;
                    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.deleted_at IS NULL THEN
                        INSERT INTO partner_tallies AS t (country, kind, count) VALUES (NEW.country, NEW.kind, 1)
                            ON CONFLICT (country, kind) DO UPDATE SET count = t.count + excluded.count;
                    END IF;
                    -- A partner that changes country or kind takes its partnerships with it.
                    IF TG_OP = 'UPDATE' AND (OLD.country, OLD.kind) IS DISTINCT FROM (NEW.country, NEW.kind) THEN
                        INSERT INTO partnership_tallies AS t (country, kind, year, count)
                            SELECT country, kind, year, sum(n) FROM (
                                SELECT OLD.country AS country, OLD.kind AS kind, extract(year FROM signed_on)::int AS year, -count(*) AS n
                                FROM agreements WHERE partner_id = NEW.id AND linkj_counts_as_partnership(status, deleted_at, supersedes_id) GROUP BY 3
                                UNION ALL
                                SELECT NEW.country, NEW.kind, extract(year FROM signed_on)::int, count(*)
                                FROM agreements WHERE partner_id = NEW.id AND linkj_counts_as_partnership(status, deleted_at, supersedes_id) GROUP BY 3
                            ) moved
                            GROUP BY country, kind, year HAVING sum(n) <> 0 ORDER BY country, kind, year
                            ON CONFLICT (country, kind, year) DO UPDATE SET count = t.count + excluded.count;
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION recount_tallies() RETURNS void LANGUAGE sql AS $$
                    DELETE FROM partner_tallies;
                    DELETE FROM agreement_status_tallies;
                    DELETE FROM partnership_tallies;
                    DELETE FROM scope_tallies;
                    INSERT INTO partner_tallies (country, kind, count)
                        SELECT country, kind, count(*) FROM partners WHERE deleted_at IS NULL GROUP BY 1, 2;
                    INSERT INTO agreement_status_tallies (status, count)
                        SELECT status, count(*) FROM agreements WHERE deleted_at IS NULL GROUP BY status;
                    INSERT INTO partnership_tallies (country, kind, year, count)
                        SELECT p.country, p.kind, extract(year FROM a.signed_on)::int, count(*)
                        FROM agreements a JOIN partners p ON p.id = a.partner_id
                        WHERE linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id) GROUP BY 1, 2, 3;
                    INSERT INTO scope_tallies (code, count)
                        SELECT code, count(*) FROM agreements a, unnest(a.scopes) AS code
                        WHERE linkj_counts_as_partnership(a.status, a.deleted_at, a.supersedes_id) GROUP BY code;
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The functions with the rule written out again, as the earlier migrations left them.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION linkj_counts_as_partnership(status text, deleted_at timestamptz, supersedes_id uuid) RETURNS boolean
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL
                $$;
                """);
            // Dropping it would need every caller's old body; the function on its own is harmless, so Down keeps it.
        }
    }
}
