using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SearchText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Trigram indexes let `q` (a substring search) use an index at any table size.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");

            migrationBuilder.AddColumn<string>(
                name: "search_text",
                table: "partners",
                type: "text",
                nullable: true,
                computedColumnSql: "lower(normalize(coalesce(name_ja, '') || ' ' || coalesce(name_en, '') || ' ' || coalesce(short_name, '') || ' ' || slug || ' ' || coalesce(region_ja, '') || ' ' || coalesce(region_en, '') || ' ' || jsonb_path_query_array(former_names, '$[*].name.*')::text, NFKC))",
                stored: true);

            migrationBuilder.AddColumn<string>(
                name: "search_text",
                table: "agreements",
                type: "text",
                nullable: true,
                computedColumnSql: "lower(normalize(title_ja || ' ' || coalesce(title_en, ''), NFKC))",
                stored: true);

            migrationBuilder.Sql("CREATE INDEX ix_partners_search_text ON partners USING gin (search_text gin_trgm_ops);");
            migrationBuilder.Sql("CREATE INDEX ix_agreements_search_text ON agreements USING gin (search_text gin_trgm_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_partners_search_text; DROP INDEX ix_agreements_search_text;");

            migrationBuilder.DropColumn(
                name: "search_text",
                table: "partners");

            migrationBuilder.DropColumn(
                name: "search_text",
                table: "agreements");
        }
    }
}
