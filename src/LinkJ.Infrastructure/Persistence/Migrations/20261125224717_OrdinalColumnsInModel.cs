using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LinkJ.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OrdinalColumnsInModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Model only: the columns exist since MaterializedOrdinals, which created them with their triggers.

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Model only: the columns exist since MaterializedOrdinals, which created them with their triggers.

        }
    }
}
