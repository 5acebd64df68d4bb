using LinkJ.Application.Abstractions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkJ.Infrastructure.Persistence.Configurations;

/// <summary>The <c>agreement_ordinals</c> view (created in the migrations) ranks counted agreements by signing order.</summary>
internal sealed class AgreementOrdinalConfiguration : IEntityTypeConfiguration<AgreementOrdinal>
{
    public void Configure(EntityTypeBuilder<AgreementOrdinal> builder)
    {
        builder.HasNoKey();
        builder.ToView("agreement_ordinals");
    }
}
