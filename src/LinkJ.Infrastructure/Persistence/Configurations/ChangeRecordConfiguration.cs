using LinkJ.Application.Abstractions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkJ.Infrastructure.Persistence.Configurations;

internal sealed class ChangeRecordConfiguration : IEntityTypeConfiguration<ChangeRecord>
{
    public void Configure(EntityTypeBuilder<ChangeRecord> builder)
    {
        builder.ToTable("changes");
        builder.HasKey(c => c.Seq);
        builder.Property(c => c.Seq).UseIdentityAlwaysColumn();
        // Set by sequence_changes() after the change has committed (ADR 0030), never by an insert.
        builder.HasIndex(c => c.Position).IsUnique();
        builder.Property(c => c.ResourceType).HasMaxLength(20);
        builder.Property(c => c.Operation).HasMaxLength(20);
        builder.Property(c => c.Actor).HasMaxLength(100);
        builder.Property(c => c.EventType).HasMaxLength(40);
        builder.HasIndex(c => new { c.ResourceType, c.ResourceId, c.Seq });
    }
}
