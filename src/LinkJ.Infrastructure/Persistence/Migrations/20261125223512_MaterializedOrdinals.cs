using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MaterializedOrdinals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The running numbers ("13例目", "自治体との…3例目") were a view with row_number() over every agreement: right,
            // but its cost grew with the table. They are now stored on the agreement and kept right by triggers that
            // renumber only from the changed agreement onward, continuing from the number of the one before it: a new
            // agreement (signed after the others) costs one index lookup and one update, whatever the table's size.
            migrationBuilder.Sql("""
                ALTER TABLE agreements ADD COLUMN ordinal_overall bigint, ADD COLUMN ordinal_within_kind bigint;

                CREATE INDEX ix_agreements_counted_order ON agreements (signed_on, seq)
                    WHERE deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL;

                CREATE FUNCTION renumber_agreement_ordinals(from_signed date, from_seq bigint, kinds text[]) RETURNS void
                LANGUAGE plpgsql AS $$
                DECLARE
                    base bigint;
                    k text;
                BEGIN
                    SELECT ordinal_overall INTO base FROM agreements
                    WHERE deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL AND (signed_on, seq) < (from_signed, from_seq)
                    ORDER BY signed_on DESC, seq DESC LIMIT 1;
                    UPDATE agreements a SET ordinal_overall = s.n
                    FROM (SELECT id, coalesce(base, 0) + row_number() OVER (ORDER BY signed_on, seq) AS n FROM agreements
                          WHERE deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL AND (signed_on, seq) >= (from_signed, from_seq)) s
                    WHERE a.id = s.id AND a.ordinal_overall IS DISTINCT FROM s.n;

                    UPDATE agreements SET ordinal_overall = NULL, ordinal_within_kind = NULL
                    WHERE NOT (deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL)
                      AND (signed_on, seq) >= (from_signed, from_seq)
                      AND (ordinal_overall IS NOT NULL OR ordinal_within_kind IS NOT NULL);

                    FOREACH k IN ARRAY kinds LOOP
                        base := NULL;
                        SELECT a.ordinal_within_kind INTO base FROM agreements a JOIN partners p ON p.id = a.partner_id
                        WHERE p.kind = k AND a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL
                          AND (a.signed_on, a.seq) < (from_signed, from_seq)
                        ORDER BY a.signed_on DESC, a.seq DESC LIMIT 1;
                        UPDATE agreements a SET ordinal_within_kind = s.n
                        FROM (SELECT a2.id, coalesce(base, 0) + row_number() OVER (ORDER BY a2.signed_on, a2.seq) AS n
                              FROM agreements a2 JOIN partners p ON p.id = a2.partner_id
                              WHERE p.kind = k AND a2.deleted_at IS NULL AND a2.status <> 'draft' AND a2.supersedes_id IS NULL
                                AND (a2.signed_on, a2.seq) >= (from_signed, from_seq)) s
                        WHERE a.id = s.id AND a.ordinal_within_kind IS DISTINCT FROM s.n;
                    END LOOP;
                END $$;

                -- Renumbers everything: after a bulk load with the triggers disabled.
                CREATE FUNCTION renumber_all_agreement_ordinals() RETURNS void LANGUAGE sql AS $$
                    SELECT renumber_agreement_ordinals('-infinity'::date, 0, ARRAY(SELECT DISTINCT kind FROM partners)::text[]);
                $$;

                CREATE FUNCTION agreements_ordinals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    from_signed date;
                    from_seq bigint;
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM renumber_agreement_ordinals(NEW.signed_on, NEW.seq, ARRAY(SELECT kind FROM partners WHERE id = NEW.partner_id)::text[]);
                    ELSIF TG_OP = 'DELETE' THEN
                        PERFORM renumber_agreement_ordinals(OLD.signed_on, OLD.seq, ARRAY(SELECT kind FROM partners WHERE id = OLD.partner_id)::text[]);
                    ELSE
                        IF (OLD.signed_on, OLD.seq) < (NEW.signed_on, NEW.seq) THEN
                            from_signed := OLD.signed_on; from_seq := OLD.seq;
                        ELSE
                            from_signed := NEW.signed_on; from_seq := NEW.seq;
                        END IF;
                        PERFORM renumber_agreement_ordinals(from_signed, from_seq,
                            ARRAY(SELECT DISTINCT kind FROM partners WHERE id IN (OLD.partner_id, NEW.partner_id))::text[]);
                    END IF;
                    RETURN NULL;
                END $$;

                -- One renumbering at a time, and the lock taken before the statement locks any row: a renumbering
                -- updates later agreements, and a second writer already holding one of those rows while it waits for
                -- this lock would be a deadlock.
                CREATE FUNCTION lock_agreement_ordinals() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(83909096721999);
                    RETURN NULL;
                END $$;

                CREATE TRIGGER agreements_ordinals_lock BEFORE INSERT OR DELETE OR UPDATE OF status, deleted_at, supersedes_id, signed_on, partner_id
                    ON agreements FOR EACH STATEMENT EXECUTE FUNCTION lock_agreement_ordinals();

                CREATE TRIGGER partners_kind_lock BEFORE UPDATE OF kind ON partners
                    FOR EACH STATEMENT EXECUTE FUNCTION lock_agreement_ordinals();

                CREATE TRIGGER agreements_ordinals AFTER INSERT OR DELETE OR UPDATE OF status, deleted_at, supersedes_id, signed_on, partner_id
                    ON agreements FOR EACH ROW EXECUTE FUNCTION agreements_ordinals_changed();

                CREATE FUNCTION partners_kind_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    first_signed date;
                    first_seq bigint;
                BEGIN
                    SELECT signed_on, seq INTO first_signed, first_seq FROM agreements WHERE partner_id = NEW.id ORDER BY signed_on, seq LIMIT 1;
                    IF first_signed IS NOT NULL THEN
                        PERFORM renumber_agreement_ordinals(first_signed, first_seq, ARRAY[OLD.kind, NEW.kind]::text[]);
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER partners_kind AFTER UPDATE OF kind ON partners
                    FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind) EXECUTE FUNCTION partners_kind_changed();

                SELECT renumber_all_agreement_ordinals();

                CREATE OR REPLACE VIEW agreement_ordinals AS
                SELECT id AS agreement_id, ordinal_overall AS overall, ordinal_within_kind AS within_partner_kind
                FROM agreements
                WHERE ordinal_overall IS NOT NULL;
                """);


        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE VIEW agreement_ordinals AS
                SELECT a.id AS agreement_id,
                       row_number() OVER (ORDER BY a.signed_on, a.seq) AS overall,
                       row_number() OVER (PARTITION BY p.kind ORDER BY a.signed_on, a.seq) AS within_partner_kind
                FROM agreements a
                JOIN partners p ON p.id = a.partner_id
                WHERE a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL;
                DROP TRIGGER partners_kind_lock ON partners;
                DROP TRIGGER agreements_ordinals_lock ON agreements;
                DROP FUNCTION lock_agreement_ordinals();
                DROP TRIGGER partners_kind ON partners;
                DROP FUNCTION partners_kind_changed();
                DROP TRIGGER agreements_ordinals ON agreements;
                DROP FUNCTION agreements_ordinals_changed();
                DROP FUNCTION renumber_all_agreement_ordinals();
                DROP FUNCTION renumber_agreement_ordinals(date, bigint, text[]);
                DROP INDEX ix_agreements_counted_order;
                ALTER TABLE agreements DROP COLUMN ordinal_overall, DROP COLUMN ordinal_within_kind;
                """);


        }
    }
}
