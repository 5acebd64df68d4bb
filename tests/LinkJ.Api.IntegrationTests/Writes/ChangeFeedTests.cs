using System.Net;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Domain.Common;
using LinkJ.Infrastructure.Persistence;
using LinkJ.Application.Seed;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Writes;

/// <summary>The change feed: complete, in an order consistent with commit order, while writers commit concurrently.</summary>
public sealed class ChangeFeedTests(ApiFactory factory) : WriteTest(factory)
{
    [Fact]
    public async Task ListChanges_WhenSeeded_ShouldDescribeEveryPartnerAndAgreementOnce()
    {
        var items = (await GetSyncJsonAsync("/api/v1/changes?limit=1000"))["items"]!.AsArray();

        Assert.Equal(26, items.Count);
        Assert.Equal(13, items.Count(i => i!["resourceType"]!.GetValue<string>() == "partner"));
        Assert.All(items, i => Assert.Equal("created", i!["operation"]!.GetValue<string>()));

        // partner, then its agreement, in the document's order
        Assert.Equal(
            Enumerable.Range(0, 13).SelectMany(_ => new[] { "partner", "agreement" }),
            items.Select(i => i!["resourceType"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListChanges_WhenWritersCommitWhileAReaderFollows_ShouldShowEveryChangeExactlyOnceInCommitOrder()
    {
        var key = await CreateKeyAsync("agreements:write");
        var partnerId = await PartnerIdAsync();
        var start = (await GetSyncJsonAsync("/api/v1/changes?limit=1000"))["next"]!.GetValue<string>();
        var seen = new List<(string Id, string Operation, int Version)>();
        var cursor = start;
        using var writersDone = new CancellationTokenSource();

        async Task<bool> ReadAsync()
        {
            var page = await GetSyncJsonAsync($"/api/v1/changes?after={Uri.EscapeDataString(cursor)}&limit=7");
            seen.AddRange(page["items"]!.AsArray().Select(i => (i!["resourceId"]!.GetValue<string>(), i["operation"]!.GetValue<string>(), i["version"]!.GetValue<int>())));
            cursor = page["next"]!.GetValue<string>();
            return page["hasMore"]!.GetValue<bool>();
        }

        var reader = Task.Run(async () =>
        {
            while (!writersDone.IsCancellationRequested)
            {
                await ReadAsync();
            }
        });

        // 4 writers, each creating, updating and deleting agreements concurrently.
        var acknowledged = await Task.WhenAll(Enumerable.Range(1, 4).Select(async writer =>
        {
            var done = new List<(string Id, string Operation, int Version)>();
            for (var i = 0; i < 5; i++)
            {
                using var created = await Client.SendAsync(Request(HttpMethod.Post, "/api/v1/agreements", key, NewAgreement(partnerId, $"書き手{writer}-{i}")));
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                var id = created.Headers.Location!.ToString().Split('/')[^1];
                done.Add((id, "created", 1));
                using var updated = await Client.SendAsync(Request(HttpMethod.Put, $"/api/v1/agreements/{id}", key, NewAgreement(partnerId, $"書き手{writer}-{i}改"), "\"v1\""));
                Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
                done.Add((id, "updated", 2));
                if (i % 2 == 0)
                {
                    using var deleted = await Client.SendAsync(Request(HttpMethod.Delete, $"/api/v1/agreements/{id}", key, ifMatch: "\"v2\""));
                    Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
                    done.Add((id, "deleted", 3));
                }
            }

            return done;
        }));
        await writersDone.CancelAsync();
        await reader;
        // The reader followed the writers: it had seen some of their changes, not all, when the last write was acknowledged.
        var seenWhileWriting = seen.Count;
        while (await ReadAsync())
        {
            // the tail committed after the reader's last look, as many pages as it takes
        }

        var expected = acknowledged.SelectMany(w => w).ToList();
        Assert.True(seenWhileWriting > 0, "The reader saw no change while the writers wrote: nothing raced.");
        Assert.Equal(expected.Count, seen.Count);
        Assert.Equal(expected.OrderBy(e => e.Id).ThenBy(e => e.Version), seen.OrderBy(e => e.Id).ThenBy(e => e.Version));
        foreach (var resource in seen.GroupBy(s => s.Id))
        {
            // in the feed's order, each agreement's versions only go up: created, updated, (deleted)
            Assert.Equal(resource.Select(r => r.Version).Order(), resource.Select(r => r.Version));
        }
    }

    [Fact]
    public async Task ListChanges_WhenASlowTransactionCommitsAfterFasterOnesThatStartedLater_ShouldNotSkipIt()
    {
        var key = await CreateKeyAsync("agreements:write");
        var start = (await GetSyncJsonAsync("/api/v1/changes?limit=1000"))["next"]!.GetValue<string>();

        // A slow writer: renames a partner and writes its change record, then keeps its transaction open.
        var contexts = Factory.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var slow = await contexts.CreateDbContextAsync();
        await using var transaction = await slow.Database.BeginTransactionAsync();
        var partner = await slow.Partners.SingleAsync(p => p.Id == SeedIds.Partner("ucsd"));
        partner.Rename(BilingualText.Create("カリフォルニア大学サンディエゴ校（改）", "UC San Diego (renamed)"), null, DateTimeOffset.UtcNow);
        await slow.SaveChangesAsync();

        // Faster writers that started after it commit first; a reader follows the feed meanwhile.
        var fast = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            fast.Add((await CreateAgreementAsync(key, $"後から始めて先に終わる書き手{i}")).Id);
        }

        var first = await GetSyncJsonAsync($"/api/v1/changes?after={Uri.EscapeDataString(start)}&limit=1000");
        var cursor = first["next"]!.GetValue<string>();

        await transaction.CommitAsync();
        await slow.SequenceChangesAsync();
        var second = await GetSyncJsonAsync($"/api/v1/changes?after={Uri.EscapeDataString(cursor)}&limit=1000");

        Assert.Equal(fast, first["items"]!.AsArray().Select(i => i!["resourceId"]!.GetValue<string>()));
        var late = Assert.Single(second["items"]!.AsArray());
        Assert.Equal(partner.Id.ToString(), late!["resourceId"]!.GetValue<string>());
        Assert.Equal("updated", late["operation"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_WhenAnEarlierWriterLeftItsCommittedChangeUnnumbered_ShouldNumberItBeforeItsOwn()
    {
        var key = await CreateKeyAsync("agreements:write");
        var start = (await GetSyncJsonAsync("/api/v1/changes?limit=1000"))["next"]!.GetValue<string>();
        // A writer that committed its change and stopped before numbering it (a crash between the two, ADR 0030).
        var orphan = Guid.NewGuid();
        await Factory.ScalarAsync<object>(
            "INSERT INTO changes (resource_type, resource_id, version, operation, occurred_at, actor, changed_fields) " +
            $"VALUES ('partner', '{orphan}', 2, 'updated', now(), 'test', '{{}}')");

        var (created, _) = await CreateAgreementAsync(key, "取り残された変更の後の書き手");

        var items = (await GetSyncJsonAsync($"/api/v1/changes?after={Uri.EscapeDataString(start)}&limit=1000"))["items"]!.AsArray();
        Assert.Equal([orphan.ToString(), created], items.Select(i => i!["resourceId"]!.GetValue<string>()));
        Assert.Equal(0, await Factory.ScalarAsync<long>("SELECT count(*) FROM changes WHERE position IS NULL"));
    }

    [Fact]
    public async Task ListChanges_WhenCursorTampered_ShouldReturn400()
    {
        var next = (await GetSyncJsonAsync("/api/v1/changes?limit=1"))["next"]!.GetValue<string>();
        var tampered = (next[0] == 'A' ? 'B' : 'A') + next[1..];

        var problem = await GetSyncProblemAsync($"/api/v1/changes?after={Uri.EscapeDataString(tampered)}", HttpStatusCode.BadRequest, "validation.failed");

        Assert.True(problem["errors"]!.AsObject().ContainsKey("after"));
    }
}
