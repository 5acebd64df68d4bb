using LinkJ.Api.IntegrationTests.Infrastructure;

namespace LinkJ.Api.IntegrationTests.Contract;

/// <summary>
/// docs/openapi/v1.json is the contract as reviewed: the served document must be exactly it, so every change to the
/// contract shows in a diff. Regenerate it with <c>LINKJ_UPDATE_OPENAPI=1 scripts/test.sh --filter CommittedDocument</c>.
/// </summary>
public sealed class CommittedDocumentTests(ApiFactory factory) : ApiTest(factory)
{
    public const string UpdateVariable = "LINKJ_UPDATE_OPENAPI";

    [Fact]
    public async Task ServedDocument_WhenComparedWithDocsOpenApiV1Json_ShouldBeTheSame()
    {
        using var raw = Factory.Server.CreateClient();
        var served = await raw.GetStringAsync("/swagger/v1/swagger.json");
        var committedPath = Path.Combine(RepositoryRoot(), "docs", "openapi", "v1.json");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(committedPath)!);
            await File.WriteAllTextAsync(committedPath, served);
        }

        Assert.True(File.Exists(committedPath), $"{committedPath} is missing. Write it with: {UpdateVariable}=1 scripts/test.sh --filter CommittedDocument");
        var committed = (await File.ReadAllTextAsync(committedPath)).ReplaceLineEndings("\n");
        if (committed != served)
        {
            var servedLines = served.Split('\n');
            var committedLines = committed.Split('\n');
            var first = Enumerable.Range(0, Math.Min(servedLines.Length, committedLines.Length)).FirstOrDefault(i => servedLines[i] != committedLines[i], Math.Min(servedLines.Length, committedLines.Length));
            Assert.Fail(
                $"The served OpenAPI document differs from docs/openapi/v1.json (first at line {first + 1}:\n" +
                $"  committed: {(first < committedLines.Length ? committedLines[first].Trim() : "(end)")}\n" +
                $"  served:    {(first < servedLines.Length ? servedLines[first].Trim() : "(end)")}).\n" +
                $"If the change to the contract is intended, regenerate the file and commit it with the change:\n" +
                $"  {UpdateVariable}=1 scripts/test.sh --filter CommittedDocument\n" +
                "and run scripts/contract-checks.sh to see whether it breaks clients.");
        }
    }

    /// <summary>
    /// The size budget (ADR 0040): at most 3.5 KB compact per operation on average. Issue 14 set 120 KB for its 28
    /// operations (4.3 KB each); the budget now grows with the surface but is tighter per operation, so what repeats
    /// must still be shared by $ref.
    /// </summary>
    [Fact]
    public async Task ServedDocument_WhenWrittenCompactInUtf8_ShouldAverageAtMost3Point5KBPerOperation()
    {
        using var raw = Factory.Server.CreateClient();
        var document = System.Text.Json.Nodes.JsonNode.Parse(await raw.GetStringAsync("/swagger/v1/swagger.json"))!;
        var compact = document.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        string[] methods = ["get", "put", "post", "delete", "patch"];
        var operations = document["paths"]!.AsObject().Sum(path => path.Value!.AsObject().Count(member => methods.Contains(member.Key)));

        var bytes = System.Text.Encoding.UTF8.GetByteCount(compact);

        Assert.True(operations >= 40, $"only {operations} operations found");
        Assert.True(bytes <= operations * 3584, $"The OpenAPI document is {bytes:N0} bytes compact for {operations} operations, over 3.5 KB each ({operations * 3584:N0}): share what repeats by $ref (ContractShaper.Share).");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LinkJ.Api.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (LinkJ.Api.sln) was not found above " + AppContext.BaseDirectory);
    }
}
