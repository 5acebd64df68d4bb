using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ChangeFeedLockTrigger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Change positions are handed out under a transaction lock held until commit (ADR 0006). The service took
            // it with a statement of its own before inserting its change records; the database now takes it before
            // any insert into changes, in the same round trip, and for every writer.
            migrationBuilder.Sql("""
                CREATE FUNCTION lock_change_feed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(83877729880643); -- 0x4C494E4B4A43, "LINKJC"
                    RETURN NULL;
                END $$;

                CREATE TRIGGER changes_position_lock BEFORE INSERT ON changes
                    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_feed();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER changes_position_lock ON changes;
                DROP FUNCTION lock_change_feed();
                """);
        }
    }
}
