using LinkJ.Domain.Common;
using LinkJ.Domain.CooperationScopes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkJ.Infrastructure.Persistence.Configurations;

internal sealed class CooperationScopeConfiguration : IEntityTypeConfiguration<CooperationScope>
{
    public void Configure(EntityTypeBuilder<CooperationScope> builder)
    {
        builder.ToTable("cooperation_scopes");
        builder.HasKey(s => s.Code);
        builder.Property(s => s.Code).HasSlugConversion();
        builder.ComplexProperty(s => s.Label, label =>
        {
            label.Property(l => l.Ja).HasColumnName("label_ja").HasMaxLength(BilingualText.MaxLength);
            label.Property(l => l.En).HasColumnName("label_en").HasMaxLength(BilingualText.MaxLength);
        });
    }
}
