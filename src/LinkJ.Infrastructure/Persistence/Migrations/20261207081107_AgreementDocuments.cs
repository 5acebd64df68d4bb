using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AgreementDocuments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agreement_documents",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    agreement_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    language = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    visibility = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    media_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    size = table.Column<long>(type: "bigint", nullable: true),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    file_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    title_en = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    title_ja = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agreement_documents", x => x.id);
                    table.CheckConstraint("ck_agreement_documents_file_or_link", "(url IS NULL AND file_name IS NOT NULL AND sha256 IS NOT NULL AND size IS NOT NULL) OR (url IS NOT NULL AND file_name IS NULL)");
                    table.CheckConstraint("ck_agreement_documents_sha256", "sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'");
                    table.ForeignKey(
                        name: "fk_agreement_documents_agreements_agreement_id",
                        column: x => x.agreement_id,
                        principalTable: "agreements",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agreement_documents_agreement_id_created_at",
                table: "agreement_documents",
                columns: new[] { "agreement_id", "created_at" });

            // A stored file's bytes (ADR 0038), outside EF's model: written and read in chunks by PostgresDocumentStore.
            // The chunks are written before their document's record (its size and hash are known only at the end), in the
            // same transaction: the reference is checked at commit. STORAGE EXTERNAL: PDFs and images are compressed
            // already, so PostgreSQL does not try again.
            migrationBuilder.Sql(
                """
                CREATE TABLE document_contents (
                    document_id uuid NOT NULL,
                    seq integer NOT NULL CHECK (seq >= 0),
                    data bytea NOT NULL,
                    CONSTRAINT pk_document_contents PRIMARY KEY (document_id, seq),
                    CONSTRAINT fk_document_contents_agreement_documents FOREIGN KEY (document_id)
                        REFERENCES agreement_documents (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
                );
                ALTER TABLE document_contents ALTER COLUMN data SET STORAGE EXTERNAL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE document_contents;");
            migrationBuilder.DropTable(
                name: "agreement_documents");
        }
    }
}
