using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ChangeFeedSequencer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Positions were handed out under a lock taken at a writer's insert into changes and held through its
            // commit (ADR 0006), which serialized the tail of every write. A change record is now written with no
            // position (seq keeps the order records were written in), and numbered after its transaction has committed
            // by sequence_changes(): one short transaction at a time numbers every committed change still without a
            // position, in seq order, and commits. Numbering transactions are serialized (the same lock, held through
            // their own commit), so positions still become visible in increasing order, on the primary and on every
            // standby, and a reader that follows them never skips one (ADR 0030).
            migrationBuilder.Sql("""
                DROP TRIGGER changes_position_lock ON changes;
                DROP FUNCTION lock_change_feed();

                ALTER TABLE changes DROP CONSTRAINT pk_changes;
                DROP INDEX ix_changes_resource_type_resource_id_position;
                ALTER TABLE changes ALTER COLUMN position DROP IDENTITY, ALTER COLUMN position DROP NOT NULL;
                ALTER TABLE changes ADD COLUMN seq bigint;
                UPDATE changes SET seq = position;
                ALTER TABLE changes ALTER COLUMN seq SET NOT NULL;
                ALTER TABLE changes ADD CONSTRAINT pk_changes PRIMARY KEY (seq);
                DO $$ BEGIN
                    EXECUTE format('ALTER TABLE changes ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (START WITH %s)',
                                   (SELECT coalesce(max(seq), 0) + 1 FROM changes));
                END $$;
                CREATE UNIQUE INDEX ix_changes_position ON changes (position);
                CREATE INDEX ix_changes_resource_type_resource_id_seq ON changes (resource_type, resource_id, seq);
                -- What is waiting for a position: usually nothing, or the last few milliseconds' commits.
                CREATE INDEX ix_changes_pending ON changes (seq) WHERE position IS NULL;

                -- Positions only grow, also across deletes (a test's reset): a cached body keyed on a position is never
                -- taken for another state. Only sequence_changes() takes them, under its lock.
                CREATE SEQUENCE change_positions AS bigint;
                SELECT setval('change_positions', (SELECT coalesce(max(position), 0) + 1 FROM changes), false);

                -- Numbers every committed change without a position, in the order they were written; returns how many.
                -- Run after every commit that wrote change records (AppDbContext), by the background sweep (changes
                -- whose writer died between its commit and this), and after bulk loads.
                CREATE FUNCTION sequence_changes() RETURNS integer LANGUAGE plpgsql AS $$
                DECLARE
                    pending bigint[];
                    first bigint;
                BEGIN
                    -- Nothing waiting (the caller's changes were numbered by another caller meanwhile): no lock, no write.
                    PERFORM FROM changes WHERE position IS NULL LIMIT 1;
                    IF NOT FOUND THEN
                        RETURN 0;
                    END IF;
                    -- Held until this transaction's commit: numberings become visible one after the other, so every
                    -- position below one a reader sees is already visible to it.
                    PERFORM pg_advisory_xact_lock(83877729880643); -- 0x4C494E4B4A43, "LINKJC"
                    -- A new snapshot (READ COMMITTED, volatile function): everything committed before the lock was ours.
                    SELECT array_agg(seq ORDER BY seq) INTO pending FROM changes WHERE position IS NULL;
                    IF pending IS NULL THEN
                        RETURN 0;
                    END IF;
                    first := nextval('change_positions');
                    IF cardinality(pending) > 1 THEN
                        PERFORM setval('change_positions', first + cardinality(pending) - 1);
                    END IF;
                    UPDATE changes c SET position = first + u.n - 1
                    FROM unnest(pending) WITH ORDINALITY AS u(seq, n)
                    WHERE c.seq = u.seq;
                    RETURN cardinality(pending);
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                SELECT sequence_changes();
                DROP FUNCTION sequence_changes();
                DROP SEQUENCE change_positions;
                DROP INDEX ix_changes_pending;
                DROP INDEX ix_changes_resource_type_resource_id_seq;
                DROP INDEX ix_changes_position;
                ALTER TABLE changes DROP CONSTRAINT pk_changes;
                ALTER TABLE changes DROP COLUMN seq;
                ALTER TABLE changes ALTER COLUMN position SET NOT NULL;
                ALTER TABLE changes ADD CONSTRAINT pk_changes PRIMARY KEY (position);
                DO $$ BEGIN
                    EXECUTE format('ALTER TABLE changes ALTER COLUMN position ADD GENERATED ALWAYS AS IDENTITY (START WITH %s)',
                                   (SELECT coalesce(max(position), 0) + 1 FROM changes));
                END $$;
                CREATE INDEX ix_changes_resource_type_resource_id_position ON changes (resource_type, resource_id, position);

                CREATE FUNCTION lock_change_feed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(83877729880643); -- 0x4C494E4B4A43, "LINKJC"
                    RETURN NULL;
                END $$;

                CREATE TRIGGER changes_position_lock BEFORE INSERT ON changes
                    FOR EACH STATEMENT EXECUTE FUNCTION lock_change_feed();
                """);
        }
    }
}
