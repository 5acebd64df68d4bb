using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryLogRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_created_at",
                table: "webhook_deliveries",
                column: "created_at",
                filter: "status <> 'pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_webhook_deliveries_created_at",
                table: "webhook_deliveries");
        }
    }
}
