using System.Net;
using LinkJ.Api.CompositionRoot;
using LinkJ.Api.Http;
using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Health;

/// <summary>
/// Which build runs (issue 15, item 9): /health says it, and the ETags of public reads change with every build of
/// different code, however it was versioned — an image built without .git and without a version included.
/// </summary>
public sealed class BuildIdentityTests(ApiFactory factory) : ApiTest(factory)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_WhenProbed_ShouldSayWhichVersionAndBuildRun(string url)
    {
        using var response = await Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        Assert.Equal(ServiceBuild.Current.Version, response.Headers.GetValues("LinkJ-Version").Single());
        Assert.Equal(ServiceBuild.Current.Id, response.Headers.GetValues("LinkJ-Build").Single());
    }

    [Fact]
    public void Current_WhenComputed_ShouldComeFromTheModuleVersionIdsOfTheServiceAssemblies()
    {
        var names = ServiceBuild.Assemblies.Select(assembly => assembly.GetName().Name!).Order().ToArray();

        Assert.Equal(["LinkJ.Api", "LinkJ.Application", "LinkJ.Domain", "LinkJ.Infrastructure"], names);
        Assert.NotEqual(
            ServiceBuild.Current.Id,
            BuildIdentity.Of(ServiceBuild.Current.Version, [Guid.NewGuid()], string.Empty).Id);
    }

    [Fact]
    public void Of_WhenOnlyOneAssemblysCodeDiffers_ShouldGiveAnotherIdUnderTheSameVersion()
    {
        // Two releases built without .git and without a version: the same version string, different code.
        Guid[] release1 = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        Guid[] release2 = [release1[0], release1[1], Guid.NewGuid(), release1[3]];

        Assert.NotEqual(BuildIdentity.Of("1.0.0", release1, "net").Id, BuildIdentity.Of("1.0.0", release2, "net").Id);
        Assert.Equal(BuildIdentity.Of("1.0.0", release1, "net").Id, BuildIdentity.Of("1.0.0", release1, "net").Id);
    }

    [Fact]
    public async Task ETag_WhenAnotherBuildServesTheSameData_ShouldDifferAndNotAnswer304()
    {
        using var otherBuild = Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton(new BuildIdentity(ServiceBuild.Current.Version, "another-build"))));
        using var sameBuild = Factory.WithWebHostBuilder(_ => { });
        using var otherClient = otherBuild.CreateClient();
        using var sameClient = sameBuild.CreateClient();

        using var before = await Client.GetAsync("/api/v1/agreements?limit=3");
        var etag = before.Headers.ETag!.Tag;
        using var sameRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements?limit=3") { Headers = { { "If-None-Match", etag } } };
        using var otherRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements?limit=3") { Headers = { { "If-None-Match", etag } } };
        using var same = await sameClient.SendAsync(sameRequest);
        using var other = await otherClient.SendAsync(otherRequest);

        Assert.Equal(HttpStatusCode.NotModified, same.StatusCode); // the same build on another replica: the same tag
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);         // after a release: the new body, never a 304 for the old one
        Assert.NotEqual(etag, other.Headers.ETag!.Tag);
    }
}
