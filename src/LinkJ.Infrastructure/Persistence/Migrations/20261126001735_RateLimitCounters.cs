using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RateLimitCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Rate-limit counters shared by the replicas (RateLimiting/RateLimitCounters.cs). UNLOGGED: counted on every
            // request, so no WAL and no replication; a crash empties it, which only resets the budgets.
            migrationBuilder.Sql("""
                CREATE UNLOGGED TABLE rate_limit_counters (
                    partition text PRIMARY KEY,
                    window_start timestamptz NOT NULL,
                    count integer NOT NULL
                );
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE rate_limit_counters;");
        }
    }
}
