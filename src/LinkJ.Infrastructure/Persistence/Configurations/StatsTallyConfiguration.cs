using LinkJ.Application.Abstractions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkJ.Infrastructure.Persistence.Configurations;

// The tallies are written only by the database's triggers (migration StatsTallies); the service only reads them.

internal sealed class PartnerTallyConfiguration : IEntityTypeConfiguration<PartnerTally>
{
    public void Configure(EntityTypeBuilder<PartnerTally> builder)
    {
        builder.ToTable("partner_tallies");
        builder.HasKey(t => new { t.Country, t.Kind });
        builder.Property(t => t.Country).HasCountryConversion();
        builder.Property(t => t.Kind).HasWireConversion();
    }
}

internal sealed class PartnershipTallyConfiguration : IEntityTypeConfiguration<PartnershipTally>
{
    public void Configure(EntityTypeBuilder<PartnershipTally> builder)
    {
        builder.ToTable("partnership_tallies");
        builder.HasKey(t => new { t.Country, t.Kind, t.Year });
        builder.Property(t => t.Country).HasCountryConversion();
        builder.Property(t => t.Kind).HasWireConversion();
    }
}

internal sealed class AgreementStatusTallyConfiguration : IEntityTypeConfiguration<AgreementStatusTally>
{
    public void Configure(EntityTypeBuilder<AgreementStatusTally> builder)
    {
        builder.ToTable("agreement_status_tallies");
        builder.HasKey(t => t.Status);
        builder.Property(t => t.Status).HasWireConversion();
    }
}

internal sealed class ScopeTallyConfiguration : IEntityTypeConfiguration<ScopeTally>
{
    public void Configure(EntityTypeBuilder<ScopeTally> builder)
    {
        builder.ToTable("scope_tallies");
        builder.HasKey(t => t.Code);
        builder.Property(t => t.Code).HasMaxLength(80);
    }
}
