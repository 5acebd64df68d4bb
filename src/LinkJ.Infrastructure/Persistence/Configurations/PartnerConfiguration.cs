using LinkJ.Application.Abstractions;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static LinkJ.Infrastructure.Persistence.Configurations.Converters;

namespace LinkJ.Infrastructure.Persistence.Configurations;

internal sealed class PartnerConfiguration : IEntityTypeConfiguration<Partner>
{
    public void Configure(EntityTypeBuilder<Partner> builder)
    {
        builder.ToTable("partners");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property<long>(ShadowProperties.Sequence).UseIdentityAlwaysColumn();
        builder.HasIndex(ShadowProperties.Sequence).IsUnique();
        builder.Property<string>(ShadowProperties.SearchText).HasComputedColumnSql(
            "lower(normalize(coalesce(name_ja, '') || ' ' || coalesce(name_en, '') || ' ' || coalesce(short_name, '') || ' ' || slug || ' ' || " +
            "coalesce(region_ja, '') || ' ' || coalesce(region_en, '') || ' ' || jsonb_path_query_array(former_names, '$[*].name.*')::text, NFKC))",
            stored: true);

        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Property(p => p.Slug).HasSlugConversion();
        builder.HasIndex(p => p.Slug).IsUnique();
        builder.ComplexProperty(p => p.Name, name =>
        {
            name.Property(n => n.Ja).HasColumnName("name_ja").HasMaxLength(BilingualText.MaxLength);
            name.Property(n => n.En).HasColumnName("name_en").HasMaxLength(BilingualText.MaxLength);
        });
        builder.ComplexProperty(p => p.Region, region =>
        {
            region.Property(n => n.Ja).HasColumnName("region_ja").HasMaxLength(BilingualText.MaxLength);
            region.Property(n => n.En).HasColumnName("region_en").HasMaxLength(BilingualText.MaxLength);
        });
        builder.Property(p => p.ShortName).HasMaxLength(PartnerErrors.MaxShortNameLength);
        builder.Property(p => p.Kind).HasWireConversion();
        builder.Property(p => p.Country).HasCountryConversion();
        builder.Property(p => p.Website).HasMaxLength(2000);
        builder.Property<List<FormerName>>("_formerNames")
            .HasColumnName("former_names")
            .HasJsonConversion<FormerName, StoredFormerName>(
                f => new StoredFormerName(StoredText.From(f.Name)!, f.Until?.ToString()),
                s => new FormerName(s.Name.ToText(), s.Until is null ? null : PartialDate.Parse(s.Until)));
        builder.Ignore(p => p.FormerNames);
        builder.ComplexProperty(p => p.ExternalRef, reference =>
        {
            reference.Property(r => r.Source).HasColumnName("external_source").HasMaxLength(40);
            reference.Property(r => r.Id).HasColumnName("external_id").HasMaxLength(ExternalReference.MaxIdLength);
        });
        builder.Ignore(p => p.IsOverseas);
        builder.Ignore(p => p.IsDeleted);
    }

    private sealed record StoredFormerName(StoredText Name, string? Until);
}
