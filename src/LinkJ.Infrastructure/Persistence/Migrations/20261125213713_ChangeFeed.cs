using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ChangeFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "changes",
                columns: table => new
                {
                    position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    resource_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    operation = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    changed_fields = table.Column<string[]>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_changes", x => x.position);
                });

            migrationBuilder.CreateIndex(
                name: "ix_changes_resource_type_resource_id_position",
                table: "changes",
                columns: new[] { "resource_type", "resource_id", "position" });

            // Records that exist before the feed did get their "created" change, so the feed describes every record.
            migrationBuilder.Sql("""
                INSERT INTO changes (resource_type, resource_id, version, operation, occurred_at, actor, changed_fields)
                SELECT resource_type, id, version, 'created', created_at, 'system', '{}'
                FROM (
                    SELECT 'partner' AS resource_type, id, version, created_at, 0 AS kind_order, seq FROM partners
                    UNION ALL
                    SELECT 'agreement', id, version, created_at, 1, seq FROM agreements
                ) existing
                ORDER BY seq, kind_order;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "changes");
        }
    }
}
