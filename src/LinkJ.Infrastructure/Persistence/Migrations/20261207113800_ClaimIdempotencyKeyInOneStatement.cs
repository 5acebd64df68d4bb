using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Claiming an Idempotency-Key in one round trip (ADR 0045): the key's advisory lock without waiting, then, only if
    /// it was free, the key's row. A function, not one statement with the INSERT in a CTE: a statement takes its
    /// tables' locks before it runs, so a request whose key is held would first queue on the table behind anything
    /// that locks it; in PL/pgSQL the INSERT, and its table lock, come only once the key's lock is ours.
    /// Answers 0: another request holds the key; 1: the key's row is ours; 2: the row was there (committed).
    /// </summary>
    public partial class ClaimIdempotencyKeyInOneStatement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                CREATE FUNCTION linkj_claim_idempotency_key(p_owner text, p_key text, p_request_hash bytea, p_created_at timestamptz, p_lock bigint)
                RETURNS integer LANGUAGE plpgsql AS $$
                BEGIN
                    IF NOT pg_try_advisory_xact_lock(p_lock) THEN
                        RETURN 0;
                    END IF;
                    INSERT INTO idempotency_keys (owner, key, request_hash, status_code, created_at)
                    VALUES (p_owner, p_key, p_request_hash, 0, p_created_at)
                    ON CONFLICT (owner, key) DO NOTHING;
                    RETURN CASE WHEN FOUND THEN 1 ELSE 2 END;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS linkj_claim_idempotency_key(text, text, bytea, timestamptz, bigint);");
        }
    }
}
