using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class NumberNewAgreementsBeforeInsert : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A create answers with the new agreement's running numbers. They were set by an AFTER trigger, so the
            // create read the agreement back, one more round trip while holding the writers' locks (ADR 0014). The
            // new row is now numbered before it is written, so the insert returns its numbers; the AFTER trigger then
            // renumbers only when agreements come after it (a create dated in the past), and finds this one right.
            // Both lookups are those of renumber_agreement_ordinals: the last counted agreement before it, overall and
            // of its partner's kind. The statement trigger has taken the running numbers' lock before any row.
            migrationBuilder.Sql("""
                CREATE FUNCTION agreements_number_new() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    k text;
                BEGIN
                    IF NEW.deleted_at IS NULL AND NEW.status <> 'draft' AND NEW.supersedes_id IS NULL THEN
                        SELECT kind INTO k FROM partners WHERE id = NEW.partner_id;
                        NEW.ordinal_overall := coalesce((
                            SELECT ordinal_overall FROM agreements
                            WHERE deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL AND (signed_on, seq) < (NEW.signed_on, NEW.seq)
                            ORDER BY signed_on DESC, seq DESC LIMIT 1), 0) + 1;
                        NEW.ordinal_within_kind := coalesce((
                            SELECT a.ordinal_within_kind FROM agreements a JOIN partners p ON p.id = a.partner_id
                            WHERE p.kind = k
                              AND a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL
                              AND (a.signed_on, a.seq) < (NEW.signed_on, NEW.seq)
                            ORDER BY a.signed_on DESC, a.seq DESC LIMIT 1), 0) + 1;
                    ELSE
                        NEW.ordinal_overall := NULL;
                        NEW.ordinal_within_kind := NULL;
                    END IF;
                    RETURN NEW;
                END $$;

                CREATE TRIGGER agreements_number_new BEFORE INSERT ON agreements
                    FOR EACH ROW EXECUTE FUNCTION agreements_number_new();

                CREATE OR REPLACE FUNCTION agreements_ordinals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    from_signed date;
                    from_seq bigint;
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        -- Numbered before it was written (agreements_number_new): only the agreements after it move, and
                        -- a new agreement is usually the latest. (Not EXISTS: its generic plan scans the whole table.)
                        PERFORM FROM agreements WHERE (signed_on, seq) > (NEW.signed_on, NEW.seq) ORDER BY signed_on, seq LIMIT 1;
                        IF FOUND THEN
                            PERFORM renumber_agreement_ordinals(NEW.signed_on, NEW.seq, ARRAY(SELECT kind FROM partners WHERE id = NEW.partner_id)::text[]);
                        END IF;
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
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER agreements_number_new ON agreements;
                DROP FUNCTION agreements_number_new();

                CREATE OR REPLACE FUNCTION agreements_ordinals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
                """);
        }
    }
}
