using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// An agreement write takes a free tally stripe instead of the one its connection's process id names (ADR 0049).
    /// The stripe was 1 + pid % 64, held (advisory lock 4999, stripe) until the commit: with a pool of 20 connections two
    /// of them nearly always share a stripe (the birthday bound: 95 %), so one of their writers waited for the other's
    /// whole transaction, its WAL flush included: 430 ms in the soak when a flush stalled. Now the write tries the
    /// stripes from its pid's onwards without waiting and keeps the first free one for the rest of its transaction
    /// (a transaction-local setting, read by linkj_tally_stripe()); it waits only if all 64 are held. What the lock
    /// guards is unchanged: no two transactions write the same stripe's rows at once; the tallies' sums do not
    /// depend on which stripe a delta lands in, and fold_tallies() still folds every stripe but 0.
    /// </summary>
    public partial class FreeTallyStripes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                -- The stripe this transaction's agreement writes chose (lock_agreement_ordinals), else its process's.
                CREATE OR REPLACE FUNCTION linkj_tally_stripe() RETURNS int LANGUAGE sql STABLE PARALLEL SAFE AS $$
                    SELECT coalesce(nullif(current_setting('linkj.stripe', true), '')::int, 1 + pg_backend_pid() % 64)
                $$;

                -- Agreement writes: the running numbers' lock in SHARED mode, then a stripe of their own: the first free
                -- one from their process's onwards (no wait), kept for the transaction; a later statement of the same
                -- transaction already holds it.
                CREATE OR REPLACE FUNCTION lock_agreement_ordinals() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    first int := pg_backend_pid() % 64;
                    s int;
                BEGIN
                    PERFORM pg_advisory_xact_lock_shared(83909096721999);
                    IF nullif(current_setting('linkj.stripe', true), '') IS NOT NULL THEN
                        RETURN NULL;
                    END IF;
                    FOR i IN 0..63 LOOP
                        s := 1 + (first + i) % 64;
                        IF pg_try_advisory_xact_lock(4999, s) THEN
                            PERFORM set_config('linkj.stripe', s::text, true);
                            RETURN NULL;
                        END IF;
                    END LOOP;
                    s := 1 + first;
                    PERFORM pg_advisory_xact_lock(4999, s);
                    PERFORM set_config('linkj.stripe', s::text, true);
                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                CREATE OR REPLACE FUNCTION linkj_tally_stripe() RETURNS int LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT 1 + pg_backend_pid() % 64 $$;
                CREATE OR REPLACE FUNCTION lock_agreement_ordinals() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock_shared(83909096721999);
                    PERFORM pg_advisory_xact_lock(4999, linkj_tally_stripe());
                    RETURN NULL;
                END $$;
                """);
        }
    }
}
