using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ExternalReferences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "external_id",
                table: "partners",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "external_source",
                table: "partners",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "external_id",
                table: "agreements",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "external_source",
                table: "agreements",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            // One record per client id: the upsert's guarantee against duplicates, even for racing retries.
            migrationBuilder.Sql("CREATE UNIQUE INDEX ix_partners_external_ref ON partners (external_source, external_id) WHERE external_source IS NOT NULL;");
            migrationBuilder.Sql("CREATE UNIQUE INDEX ix_agreements_external_ref ON agreements (external_source, external_id) WHERE external_source IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_partners_external_ref;");
            migrationBuilder.Sql("DROP INDEX ix_agreements_external_ref;");

            migrationBuilder.DropColumn(
                name: "external_id",
                table: "partners");

            migrationBuilder.DropColumn(
                name: "external_source",
                table: "partners");

            migrationBuilder.DropColumn(
                name: "external_id",
                table: "agreements");

            migrationBuilder.DropColumn(
                name: "external_source",
                table: "agreements");
        }
    }
}
