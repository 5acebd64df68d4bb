using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The search texts' trigram indexes without a pending list (ADR 0031). With GIN's default fastupdate, rows inserted
    /// since the last vacuum wait in an unsorted list that every search reads whole: after a few thousand creates a rare
    /// term's lookup took 30 ms instead of well under one. Each insert now updates the index itself (a little more work
    /// per write), and what is pending is merged now.
    /// </summary>
    public partial class TrigramIndexesWithoutPendingList : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER INDEX ix_agreements_search_text SET (fastupdate = off);
                ALTER INDEX ix_partners_search_text SET (fastupdate = off);
                SELECT gin_clean_pending_list('ix_agreements_search_text'::regclass);
                SELECT gin_clean_pending_list('ix_partners_search_text'::regclass);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER INDEX ix_agreements_search_text RESET (fastupdate);
                ALTER INDEX ix_partners_search_text RESET (fastupdate);
                """);
        }
    }
}
