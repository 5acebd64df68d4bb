using LinkJ.Application.Abstractions;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static LinkJ.Infrastructure.Persistence.Configurations.Converters;

namespace LinkJ.Infrastructure.Persistence.Configurations;

internal sealed class AgreementConfiguration : IEntityTypeConfiguration<Agreement>
{
    public void Configure(EntityTypeBuilder<Agreement> builder)
    {
        builder.ToTable("agreements");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property<long>(ShadowProperties.Sequence).UseIdentityAlwaysColumn();
        // On the table they only carry an insert's numbers back to its response (set by the BEFORE INSERT trigger, never
        // kept up to date); reads derive them with RunningNumbers (ADR 0033). EF never writes them.
        foreach (var (property, column) in new[] { (ShadowProperties.OrdinalOverall, "ordinal_overall"), (ShadowProperties.OrdinalWithinKind, "ordinal_within_kind") })
        {
            var ordinal = builder.Property<long?>(property).HasColumnName(column).ValueGeneratedOnAddOrUpdate();
            ordinal.Metadata.SetBeforeSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
            ordinal.Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        }

        builder.Property<string>(ShadowProperties.SearchText).HasComputedColumnSql(
            "lower(normalize(title_ja || ' ' || coalesce(title_en, ''), NFKC))", stored: true);

        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasOne<Partner>().WithMany().HasForeignKey(a => a.PartnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Agreement>().WithMany().HasForeignKey(a => a.SupersedesId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(a => a.Type).HasWireConversion();
        builder.Property(a => a.Status).HasWireConversion();
        builder.ComplexProperty(a => a.Title, title =>
        {
            title.Property(t => t.Ja).HasColumnName("title_ja").HasMaxLength(BilingualText.MaxLength);
            title.Property(t => t.En).HasColumnName("title_en").HasMaxLength(BilingualText.MaxLength);
        });
        builder.ComplexProperty(a => a.SignedOn, signed =>
        {
            signed.Property(s => s.Date).HasColumnName("signed_on");
            signed.Property(s => s.Precision).HasColumnName("signed_on_precision").HasWireConversion();
            signed.Ignore(nameof(PartialDate.Earliest));
            signed.Ignore(nameof(PartialDate.Latest));
            signed.Ignore(nameof(PartialDate.Year));
            signed.Ignore(nameof(PartialDate.Month));
        });
        builder.ComplexProperty(a => a.Validity, validity =>
        {
            validity.Property(v => v.From).HasColumnName("valid_from");
            validity.Property(v => v.Until).HasColumnName("valid_until");
            validity.Property(v => v.TermMonths).HasColumnName("term_months");
        });
        builder.ComplexProperty(a => a.Cooperation, cooperation =>
        {
            cooperation.Property(c => c.Scopes).HasColumnName("scopes");
            cooperation.Property(c => c.IsOpenEnded).HasColumnName("scopes_open_ended");
            cooperation.Property(c => c.Note).HasColumnName("cooperation_note").HasMaxLength(AgreementErrors.MaxNoteLength);
        });
        builder.Property<List<Signatory>>("_signatories")
            .HasColumnName("signatories")
            .HasJsonConversion<Signatory, StoredSignatory>(
                s => new StoredSignatory(StoredText.From(s.Name)!, StoredText.From(s.Title), StoredText.From(s.Organisation)),
                s => new Signatory(s.Name.ToText(), s.Title?.ToText(), s.Organisation?.ToText()));
        builder.Ignore(a => a.Signatories);
        builder.Property(a => a.SourceNote).HasMaxLength(AgreementErrors.MaxNoteLength);
        builder.Property(a => a.TerminationReason).HasMaxLength(AgreementErrors.MaxNoteLength);
        builder.Ignore(a => a.IsDeleted);
        builder.ComplexProperty(a => a.ExternalRef, reference =>
        {
            reference.Property(r => r.Source).HasColumnName("external_source").HasMaxLength(40);
            reference.Property(r => r.Id).HasColumnName("external_id").HasMaxLength(ExternalReference.MaxIdLength);
        });
    }

    private sealed record StoredSignatory(StoredText Name, StoredText? Title, StoredText? Organisation);
}
