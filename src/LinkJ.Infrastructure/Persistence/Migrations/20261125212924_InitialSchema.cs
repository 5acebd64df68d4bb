using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cooperation_scopes",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    sort_order = table.Column<int>(type: "integer", nullable: false),
                    label_en = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    label_ja = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cooperation_scopes", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "partners",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    short_name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    website = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    former_names = table.Column<string>(type: "jsonb", nullable: false),
                    name_en = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    name_ja = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    region_en = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    region_ja = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partners", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "agreements",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    partner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    source_note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    terminated_on = table.Column<DateOnly>(type: "date", nullable: true),
                    termination_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    supersedes_id = table.Column<Guid>(type: "uuid", nullable: true),
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    signatories = table.Column<string>(type: "jsonb", nullable: false),
                    scopes_open_ended = table.Column<bool>(type: "boolean", nullable: false),
                    cooperation_note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    scopes = table.Column<string[]>(type: "text[]", nullable: false),
                    signed_on = table.Column<DateOnly>(type: "date", nullable: false),
                    signed_on_precision = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    title_en = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    title_ja = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    valid_from = table.Column<DateOnly>(type: "date", nullable: false),
                    term_months = table.Column<int>(type: "integer", nullable: true),
                    valid_until = table.Column<DateOnly>(type: "date", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agreements", x => x.id);
                    table.ForeignKey(
                        name: "fk_agreements_agreements_supersedes_id",
                        column: x => x.supersedes_id,
                        principalTable: "agreements",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_agreements_partners_partner_id",
                        column: x => x.partner_id,
                        principalTable: "partners",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agreements_partner_id",
                table: "agreements",
                column: "partner_id");

            migrationBuilder.CreateIndex(
                name: "ix_agreements_supersedes_id",
                table: "agreements",
                column: "supersedes_id");

            migrationBuilder.CreateIndex(
                name: "ix_partners_seq",
                table: "partners",
                column: "seq",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_partners_slug",
                table: "partners",
                column: "slug",
                unique: true);

            // Not expressible in the model (columns of complex properties): the signing order that lists and the
            // ordinal view sort by, and the scope filter.
            migrationBuilder.Sql("CREATE UNIQUE INDEX ix_agreements_signed_on_seq ON agreements (signed_on, seq);");
            migrationBuilder.Sql("CREATE INDEX ix_agreements_scopes ON agreements USING gin (scopes);");

            // The running number of each partnership (Osaka: 13th overall, 3rd with a local government), computed from
            // the data: drafts, deleted agreements and renewals are not new partnerships.
            migrationBuilder.Sql("""
                CREATE VIEW agreement_ordinals AS
                SELECT a.id AS agreement_id,
                       row_number() OVER (ORDER BY a.signed_on, a.seq) AS overall,
                       row_number() OVER (PARTITION BY p.kind ORDER BY a.signed_on, a.seq) AS within_partner_kind
                FROM agreements a
                JOIN partners p ON p.id = a.partner_id
                WHERE a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW agreement_ordinals;");

            migrationBuilder.DropTable(
                name: "agreements");

            migrationBuilder.DropTable(
                name: "cooperation_scopes");

            migrationBuilder.DropTable(
                name: "partners");
        }
    }
}
