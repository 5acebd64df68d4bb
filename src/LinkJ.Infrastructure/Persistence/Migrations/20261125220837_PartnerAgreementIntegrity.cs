using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PartnerAgreementIntegrity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A deleted partner keeps no live agreements, even when a delete and a new agreement race: each side
            // locks the partner row (the delete by updating it, an agreement by FOR SHARE) and checks after the lock,
            // with a fresh snapshot, what the other committed. Violations are reported as foreign-key errors named
            // after the rule, which the service turns into its 409/422 problems.
            migrationBuilder.Sql("""
                CREATE FUNCTION agreements_partner_live() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.deleted_at IS NULL AND NOT EXISTS (
                        SELECT 1 FROM partners WHERE id = NEW.partner_id AND deleted_at IS NULL FOR SHARE) THEN
                        RAISE EXCEPTION 'partner % does not exist or is deleted', NEW.partner_id
                            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'agreements_partner_live';
                    END IF;
                    RETURN NEW;
                END $$;

                CREATE TRIGGER agreements_partner_live BEFORE INSERT OR UPDATE OF partner_id, deleted_at ON agreements
                    FOR EACH ROW EXECUTE FUNCTION agreements_partner_live();

                CREATE FUNCTION partners_no_live_agreements() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL AND EXISTS (
                        SELECT 1 FROM agreements WHERE partner_id = NEW.id AND deleted_at IS NULL) THEN
                        RAISE EXCEPTION 'partner % still has agreements', NEW.id
                            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'partners_no_live_agreements';
                    END IF;
                    RETURN NEW;
                END $$;

                CREATE TRIGGER partners_no_live_agreements BEFORE UPDATE OF deleted_at ON partners
                    FOR EACH ROW EXECUTE FUNCTION partners_no_live_agreements();
                """);


        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER partners_no_live_agreements ON partners;
                DROP FUNCTION partners_no_live_agreements();
                DROP TRIGGER agreements_partner_live ON agreements;
                DROP FUNCTION agreements_partner_live();
                """);


        }
    }
}
