using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace LinkJ.Api.Http;

/// <summary>
/// Which build is running. <see cref="Version"/> is what the build was told (the informational version: <c>0.1.0+&lt;git
/// sha&gt;</c> from the image's VERSION and SOURCE_REVISION build arguments, deploy/Dockerfile). <see cref="Id"/> is what it
/// is: a hash of the module version ids (MVIDs) of the service's own assemblies — the compiler gives every compilation
/// of different code (or against other references) a new one, and the same code the same one (deterministic builds) —
/// with the version, the .NET runtime and the packages it runs on (the deps file). The build part of every cached
/// ETag is <see cref="Id"/>, so a release that changes a body never answers 304 for the old one, even when it was
/// built without .git and without a version; /health reports both (<c>LinkJ-Version</c>, <c>LinkJ-Build</c>).
/// See docs/decisions/0029-build-identity.md.
/// </summary>
public sealed class BuildIdentity(string version, string id)
{
    public string Version { get; } = version;

    public string Id { get; } = id;

    /// <summary>The identity of the build made of <paramref name="serviceAssemblies"/> (the assemblies whose code makes the service's responses; <c>CompositionRoot.ServiceBuild</c> names them).</summary>
    public static BuildIdentity Of(IEnumerable<Assembly> serviceAssemblies) => Of(
        typeof(BuildIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        serviceAssemblies.Select(assembly => assembly.ManifestModule.ModuleVersionId),
        RuntimeInformation.FrameworkDescription + "\n" + DepsFile());

    /// <summary>The identity of a build: <paramref name="version"/>, and a hash of it, the modules' ids and the platform.</summary>
    public static BuildIdentity Of(string version, IEnumerable<Guid> moduleVersionIds, string platform)
    {
        var text = new StringBuilder(version).Append('\n');
        foreach (var mvid in moduleVersionIds)
        {
            text.Append(mvid.ToString("N")).Append('\n');
        }

        text.Append(platform);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return new BuildIdentity(version, Convert.ToBase64String(hash, 0, 12).Replace('+', '-').Replace('/', '_'));
    }

    /// <summary>The packages and their versions the service runs with (LinkJ.Api.deps.json), or nothing when absent.</summary>
    private static string DepsFile()
    {
        var path = Path.Combine(AppContext.BaseDirectory, typeof(BuildIdentity).Assembly.GetName().Name + ".deps.json");
        return File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : string.Empty;
    }

    /// <summary>Adds <c>LinkJ-Version</c> and <c>LinkJ-Build</c> to a response.</summary>
    public void WriteHeaders(HttpResponse response)
    {
        response.Headers["LinkJ-Version"] = Version;
        response.Headers["LinkJ-Build"] = Id;
    }
}
