using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OrdinalIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The first and the latest partnership (stats) are found by their number, not by sorting every agreement. Not
            // unique: a renumbering shifts numbers one row at a time within a statement.
            migrationBuilder.Sql("CREATE INDEX ix_agreements_ordinal_overall ON agreements (ordinal_overall) WHERE ordinal_overall IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_agreements_ordinal_overall;");
        }
    }
}
