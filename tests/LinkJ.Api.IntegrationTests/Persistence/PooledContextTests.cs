using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Application.Abstractions;
using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Persistence;

/// <summary>DbContexts are pooled: a request's context must go back to the pool once, and never while another request uses it.</summary>
public sealed class PooledContextTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Dispose_WhenARequestScopeDisposesItsContextBeforeTheScopeEnds_ShouldNotHandItToAnotherRequest()
    {
        await using var first = Factory.Services.CreateAsyncScope();
        var context = first.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Same(context, first.ServiceProvider.GetRequiredService<IAppDbContext>());

        // The scope disposes the context once per service it was resolved as; these calls may come while other requests rent.
        await context.DisposeAsync();
        await using var second = Factory.Services.CreateAsyncScope();
        var secondContext = second.ServiceProvider.GetRequiredService<AppDbContext>();
        context.Dispose();
        await using var third = Factory.Services.CreateAsyncScope();
        var thirdContext = third.ServiceProvider.GetRequiredService<AppDbContext>();

        Assert.NotSame(context, secondContext);
        Assert.NotSame(secondContext, thirdContext);
        Assert.Equal(13, await secondContext.Agreements.CountAsync());
    }

    [Fact]
    public async Task DisposeAsync_WhenTheScopeEnds_ShouldReturnTheContextOnceSoNoTwoRequestsShareOne()
    {
        await using (var first = Factory.Services.CreateAsyncScope())
        {
            _ = first.ServiceProvider.GetRequiredService<AppDbContext>();
            _ = first.ServiceProvider.GetRequiredService<IAppDbContext>();
        }

        var scopes = Enumerable.Range(0, 8).Select(_ => Factory.Services.CreateAsyncScope()).ToList();
        try
        {
            var contexts = scopes.Select(scope => scope.ServiceProvider.GetRequiredService<AppDbContext>()).ToList();

            Assert.Equal(contexts.Count, contexts.Distinct(ReferenceEqualityComparer.Instance).Count());
            Assert.Equal(13, await contexts[^1].Agreements.CountAsync());
        }
        finally
        {
            foreach (var scope in scopes)
            {
                await scope.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task StandbyContexts_WhenGivenAnotherDataSource_ShouldShareThePrimaryModelSoCompiledQueriesRunOnBoth()
    {
        var primary = Factory.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var otherSource = Npgsql.NpgsqlDataSource.Create(Factory.ConnectionString);
        var standbyContexts = LinkJ.Infrastructure.DependencyInjection.StandbyContexts(primary, otherSource);

        await using var standby = standbyContexts.CreateDbContext();
        await using var onPrimary = primary.CreateDbContext();
        var osaka = await onPrimary.Agreements.AsNoTracking().Select(a => a.Id).FirstAsync();

        Assert.Same(onPrimary.Model, standby.Model);
        Assert.NotNull(await standby.FindLiveAgreementAsync(osaka, CancellationToken.None));
        Assert.NotNull(await onPrimary.FindLiveAgreementAsync(osaka, CancellationToken.None));
    }
}
