using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Abstractions;

/// <summary>EF Core's compiled queries take the context as a <see cref="DbContext"/>; every <see cref="IAppDbContext"/> is one.</summary>
public static class CompiledQueryContext
{
    public static DbContext AsDbContext(this IAppDbContext db) =>
        db as DbContext ?? throw new NotSupportedException($"{db.GetType().Name} is not an EF Core context: it cannot run compiled queries.");
}
