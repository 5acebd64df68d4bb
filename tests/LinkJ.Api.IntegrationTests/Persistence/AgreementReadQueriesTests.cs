using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Application.Abstractions;
using LinkJ.Application.CooperationScopes;
using LinkJ.Domain.Common;
using LinkJ.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Persistence;

/// <summary>The reads every agreement response is built from: the compiled by-id query and the shared vocabulary lookup.</summary>
public sealed class AgreementReadQueriesTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task FindLiveAgreementAsync_WhenTheAgreementIsLive_ShouldReturnItWithItsPartnerAndRunningNumbers()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IAppDbContext>();
        var context = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var osaka = Slug.Create(Seeded.Osaka);
        var partner = await context.Partners.AsNoTracking().SingleAsync(p => p.Slug == osaka);
        var id = await context.Agreements.AsNoTracking().Where(a => a.PartnerId == partner.Id).Select(a => a.Id).SingleAsync();

        var row = await db.FindLiveAgreementAsync(id, CancellationToken.None);

        Assert.NotNull(row);
        Assert.Equal(id, row.Agreement.Id);
        Assert.Equal(partner.Id, row.Partner.Id);
        Assert.Equal(13, row.Ordinal()!.Overall);
        Assert.Equal(3, row.Ordinal()!.WithinPartnerKind);
    }

    [Fact]
    public async Task FindLiveAgreementAsync_WhenTheIdIsUnknown_ShouldReturnNull()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IAppDbContext>();

        Assert.Null(await db.FindLiveAgreementAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task LoadVocabularyByCodeAsync_WhenTheCachedVocabularyIsUnchanged_ShouldShareOneLookup()
    {
        await using var first = Factory.Services.CreateAsyncScope();
        await using var second = Factory.Services.CreateAsyncScope();

        var a = await first.ServiceProvider.GetRequiredService<IAppDbContext>().LoadVocabularyByCodeAsync(CancellationToken.None);
        var b = await second.ServiceProvider.GetRequiredService<IAppDbContext>().LoadVocabularyByCodeAsync(CancellationToken.None);

        Assert.Same(a, b);
    }

    [Fact]
    public async Task LoadVocabularyByCodeAsync_WhenTheVocabularyIsReloaded_ShouldBuildANewLookupWithTheSameLabels()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IAppDbContext>();
        var before = await db.LoadVocabularyByCodeAsync(CancellationToken.None);

        Factory.Services.GetRequiredService<VocabularyCache>().Clear();
        var after = await db.LoadVocabularyByCodeAsync(CancellationToken.None);

        Assert.NotSame(before, after);
        Assert.Equal(before.Keys, after.Keys);
        Assert.Equal(before["publication-exchange"], after["publication-exchange"]);
    }
}
