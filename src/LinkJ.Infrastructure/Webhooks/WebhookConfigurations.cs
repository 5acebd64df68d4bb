using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkJ.Infrastructure.Webhooks;

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("webhook_subscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Url).HasMaxLength(2000);
        builder.Property(s => s.Description).HasMaxLength(500);
        builder.Property(s => s.DisabledReason).HasMaxLength(500);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Seq).UseIdentityAlwaysColumn().ValueGeneratedOnAdd();
        builder.Property(d => d.MessageId).HasMaxLength(40);
        builder.Property(d => d.EventType).HasMaxLength(40);
        builder.Property(d => d.Status).HasMaxLength(20);
        builder.Property(d => d.Payload).HasColumnType("text");
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        // The dispatcher's queue head per subscription, and the delivery log newest first.
        builder.HasIndex(d => new { d.SubscriptionId, d.Seq }, "ix_webhook_deliveries_pending").HasFilter("status = 'pending'");
        builder.HasIndex(d => new { d.SubscriptionId, d.Seq }, "ix_webhook_deliveries_log");
        // The retention's purge (DeliveryLogRetention): finished deliveries, oldest first.
        builder.HasIndex(d => d.CreatedAt, "ix_webhook_deliveries_finished").HasFilter("status <> 'pending'");
    }
}

internal sealed class AgreementReminderConfiguration : IEntityTypeConfiguration<AgreementReminder>
{
    public void Configure(EntityTypeBuilder<AgreementReminder> builder)
    {
        builder.ToTable("agreement_reminders");
        builder.HasKey(r => new { r.AgreementId, r.EndsOn, r.DaysBefore });
        builder.Property(r => r.Outcome).HasMaxLength(20);
        builder.HasOne<LinkJ.Domain.Agreements.Agreement>().WithMany().HasForeignKey(r => r.AgreementId).OnDelete(DeleteBehavior.Cascade);
    }
}
