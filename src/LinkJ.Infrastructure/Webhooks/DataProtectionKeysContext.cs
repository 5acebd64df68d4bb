using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Infrastructure.Webhooks;

/// <summary>
/// Data Protection's own view of <c>data_protection_keys</c> (migrated with <see cref="Persistence.AppDbContext"/>): the
/// key store saves synchronously, which the AppDbContext refuses (its saves write the change feed).
/// </summary>
public sealed class DataProtectionKeysContext(DbContextOptions<DataProtectionKeysContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
}
