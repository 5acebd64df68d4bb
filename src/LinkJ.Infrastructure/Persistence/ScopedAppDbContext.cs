using LinkJ.Application.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Infrastructure.Persistence;

/// <summary>
/// A request's lease on a pooled <see cref="AppDbContext"/>: rents it with the request's actor, and returns it once when
/// the request's scope ends. The scope disposes this lease after the context it handed out (disposal runs in reverse
/// order of creation), so the context's own Dispose calls, which do nothing while leased, come before the return.
/// </summary>
internal sealed class ScopedAppDbContext : IDisposable, IAsyncDisposable
{
    public ScopedAppDbContext(IDbContextFactory<AppDbContext> factory, ICurrentActor actor, VocabularyCache vocabulary)
    {
        Context = factory.CreateDbContext();
        Context.Use(actor, vocabulary);
    }

    public AppDbContext Context { get; }

    public void Dispose() => Context.Return();

    public ValueTask DisposeAsync() => Context.ReturnAsync();
}
