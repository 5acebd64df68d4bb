using LinkJ.Application.Abstractions;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.CooperationScopes;
using LinkJ.Domain.Partners;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Infrastructure.Persistence;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options), IAppDbContext
{
    public DbSet<Partner> Partners => Set<Partner>();

    public DbSet<Agreement> Agreements => Set<Agreement>();

    public DbSet<CooperationScope> CooperationScopes => Set<CooperationScope>();

    public IQueryable<AgreementOrdinal> AgreementOrdinals => Set<AgreementOrdinal>().AsNoTracking();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
}
