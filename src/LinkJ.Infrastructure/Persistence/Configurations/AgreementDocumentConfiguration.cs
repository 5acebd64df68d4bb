using LinkJ.Domain.Agreements;
using LinkJ.Domain.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkJ.Infrastructure.Persistence.Configurations;

/// <summary>A document's record; a file's bytes are in document_contents (<see cref="Documents.PostgresDocumentStore"/>, ADR 0038).</summary>
internal sealed class AgreementDocumentConfiguration : IEntityTypeConfiguration<AgreementDocument>
{
    public void Configure(EntityTypeBuilder<AgreementDocument> builder)
    {
        builder.ToTable("agreement_documents", table =>
        {
            table.HasCheckConstraint("ck_agreement_documents_file_or_link",
                "(url IS NULL AND file_name IS NOT NULL AND sha256 IS NOT NULL AND size IS NOT NULL) OR (url IS NOT NULL AND file_name IS NULL)");
            table.HasCheckConstraint("ck_agreement_documents_sha256", "sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'");
        });
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.HasOne<Agreement>().WithMany().HasForeignKey(d => d.AgreementId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.AgreementId, d.CreatedAt });
        builder.Property(d => d.Kind).HasWireConversion();
        builder.Property(d => d.Visibility).HasWireConversion();
        builder.ComplexProperty(d => d.Title, title =>
        {
            title.Property(t => t.Ja).HasColumnName("title_ja").HasMaxLength(AgreementDocument.MaxTitleLength);
            title.Property(t => t.En).HasColumnName("title_en").HasMaxLength(AgreementDocument.MaxTitleLength);
        });
        builder.Property(d => d.Language).HasMaxLength(2);
        builder.Property(d => d.MediaType).HasMaxLength(AgreementDocument.MaxMediaTypeLength);
        builder.Property(d => d.Sha256).HasMaxLength(64);
        builder.Property(d => d.FileName).HasMaxLength(AgreementDocument.MaxFileNameLength);
        builder.Property(d => d.Url).HasMaxLength(AgreementDocument.MaxUrlLength);
        builder.Ignore(d => d.IsFile);
    }
}
