using System.Text.RegularExpressions;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NetArchTest.Rules;

namespace LinkJ.Architecture.Tests.Architecture;

/// <summary>
/// Issue 16, point 6, checked on the compiled types (their IL, not only their assembly references): the write side's
/// use cases reach the database only through the repositories and the unit of work; the Domain knows nothing of the
/// web, not even its words; the Api reaches Infrastructure only where it wires the house together.
/// </summary>
public sealed class WriteSideRulesTests
{
    private const string EfCore = "Microsoft.EntityFrameworkCore";

    /// <summary>The write side of Application: the commands and their handlers, and the helpers they share.</summary>
    private static Types WriteSide() => Types.InAssembly(Layers.Application);

    [Fact]
    public void ApplicationCommands_WhenCompiled_ShouldNotDependOnEfCore()
    {
        var commands = WriteSide().That().ResideInNamespaceContaining(".Commands.").GetTypes().ToList();
        Assert.True(commands.Count >= 20, $"found only {commands.Count} command types");

        var result = WriteSide().That().ResideInNamespaceContaining(".Commands.").ShouldNot().HaveDependencyOn(EfCore).GetResult();

        Assert.True(result.IsSuccessful, "depend on EF Core: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void ApplicationWriteHelpers_WhenCompiled_ShouldNotDependOnEfCore()
    {
        var result = WriteSide().That()
            .HaveNameStartingWith("UnitOfWorkBehavior").Or().HaveName("UpsertByReference").Or().HaveName("Writes")
            .Or().HaveName("PartnerWrites").Or().HaveName("IUnitOfWork").Or().HaveNameEndingWith("Repository")
            .ShouldNot().HaveDependencyOn(EfCore).GetResult();

        Assert.True(result.IsSuccessful, "depend on EF Core: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>The check sees a dependency where there is one: the unit of work's implementation is EF Core's.</summary>
    [Fact]
    public void HaveDependencyOn_WhenATypeUsesEfCoreInItsMethods_ShouldReportIt()
    {
        var result = Types.InAssembly(Layers.Infrastructure).That().HaveName("UnitOfWork").Or().HaveName("AgreementRepository")
            .ShouldNot().HaveDependencyOn(EfCore).GetResult();

        Assert.False(result.IsSuccessful);
        Assert.Equal(2, result.FailingTypeNames.Count);
    }

    [Fact]
    public void Domain_WhenCompiled_ShouldNotDependOnAspNetCoreNorHttp()
    {
        var result = Types.InAssembly(Layers.Domain).ShouldNot().HaveDependencyOnAny("Microsoft.AspNetCore", "System.Net.Http", "Microsoft.Net.Http").GetResult();

        Assert.True(result.IsSuccessful, "depend on the web: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>The Domain says "stale version" and "version required"; 412, 428, If-Match and ETags are the Api's words.</summary>
    [Fact]
    public void Domain_WhenCompiled_ShouldSayNoHttpWords()
    {
        Assert.Empty(HttpWordsIn(Layers.Domain.Location));
    }

    /// <summary>Nor in its documentation (ADR 0044): an error kind says what went wrong, not the status the Api answers with.</summary>
    [Fact]
    public void Domain_WhenDocumented_ShouldSayNoHttpWords()
    {
        var documentation = Path.ChangeExtension(Layers.Domain.Location, ".xml");
        Assert.True(File.Exists(documentation), $"no XML documentation beside the Domain: {documentation}");

        var found = HttpWordsInText(File.ReadAllText(documentation));

        Assert.True(found.Count == 0, "HTTP words in the Domain's documentation: " + string.Join(" | ", found));
    }

    /// <summary>The documentation check finds HTTP words where they are: the Api's documentation names If-Match.</summary>
    /// <summary>A status code counts on its own ("answers 412"), not inside a generated name's hash.</summary>
    [Fact]
    public void HttpWordsInText_WhenAStatusCodeStandsAloneOrSitsInAHash_ShouldFindOnlyTheOneAlone()
    {
        var found = HttpWordsInText("The stale version answers 412.\n<RegexGenerator_g>F74B1AE9412CDE3_Utilities\nversion 4120");

        Assert.Equal(["The stale version answers 412."], found);
    }

    [Fact]
    public void HttpWordsInText_WhenTheTextIsTheApisDocumentation_ShouldFindSome()
    {
        var found = HttpWordsInText(File.ReadAllText(Path.ChangeExtension(Layers.Api.Location, ".xml")));

        Assert.Contains(found, f => f.Contains("If-Match", StringComparison.Ordinal));
    }

    /// <summary>The word check finds HTTP words where they are.</summary>
    [Fact]
    public void HttpWordsIn_WhenTheAssemblyIsTheApi_ShouldFindSome()
    {
        var found = HttpWordsIn(Layers.Api.Location);

        Assert.Contains(found, f => f.Contains("If-Match", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Outside its composition root (Program, CompositionRoot/) the Api reaches Infrastructure only through Application's
    /// ports (issue 16, point 6): an endpoint, a middleware or the OpenAPI examples name no Infrastructure type.
    /// </summary>
    [Fact]
    public void ApiOutsideTheCompositionRoot_WhenCompiled_ShouldNotReachInfrastructure()
    {
        var reaching = Types.InAssembly(Layers.Api).That().HaveDependencyOn("LinkJ.Infrastructure").GetTypes()
            .Select(t => t.DeclaringType is null ? t.FullName! : OuterMost(t).FullName!)
            .Where(name => !IsCompositionRoot(name))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(reaching.Count == 0, "reach Infrastructure outside the composition root: " + string.Join(", ", reaching));
    }

    /// <summary>The check sees the composition root's own use of Infrastructure (it wires it up).</summary>
    [Fact]
    public void HaveDependencyOn_WhenTheCompositionRootWiresInfrastructure_ShouldReportIt()
    {
        var names = Types.InAssembly(Layers.Api).That().HaveDependencyOn("LinkJ.Infrastructure").GetTypes().Select(t => t.FullName).ToList();

        Assert.Contains(names, name => name is not null && IsCompositionRoot(name));
    }

    private static bool IsCompositionRoot(string fullName) =>
        fullName == "Program" || fullName.StartsWith("Program+", StringComparison.Ordinal) || fullName.StartsWith("Program/", StringComparison.Ordinal)
        || fullName.StartsWith("LinkJ.Api.CompositionRoot.", StringComparison.Ordinal);

    private static Type OuterMost(Type type) => type.DeclaringType is null ? type : OuterMost(type.DeclaringType);

    private static readonly string[] HttpWords =
    [
        "If-Match", "ETag", "HTTP", "Http", "Precondition", "precondition", "StatusCode", "AspNetCore", "BadRequest", "Unprocessable",
    ];

    /// <summary>
    /// Status codes count as words only on their own: the names the regex source generator gives its classes carry a
    /// hash (…F74B1AE9412…) that a plain substring check would read as a 412, differently in each build configuration.
    /// </summary>
    private static readonly Regex StatusCodes = new(@"(?<![0-9A-Za-z])(400|401|403|404|409|412|413|415|422|428|429|503)(?![0-9A-Za-z])", RegexOptions.CultureInvariant);

    private static bool HasHttpWord(string text) =>
        HttpWords.Any(word => text.Contains(word, StringComparison.Ordinal)) || StatusCodes.IsMatch(text);

    /// <summary>The lines of a text (an XML documentation file) that hold an HTTP word.</summary>
    private static List<string> HttpWordsInText(string text) =>
        [.. text.Split('\n').Select(line => line.Trim()).Where(HasHttpWord).Distinct()];

    /// <summary>Every string literal and every name (types, members, enum values) of an assembly that holds an HTTP word.</summary>
    private static List<string> HttpWordsIn(string path)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(path);
        var texts = new List<string>();
        foreach (var type in assembly.MainModule.GetTypes())
        {
            texts.Add(type.FullName);
            texts.AddRange(type.Fields.Select(f => f.Name));
            texts.AddRange(type.Properties.Select(p => p.Name));
            foreach (var method in type.Methods)
            {
                texts.Add(method.Name);
                if (method.HasBody)
                {
                    texts.AddRange(method.Body.Instructions.Where(i => i.OpCode == OpCodes.Ldstr).Select(i => (string)i.Operand));
                }
            }
        }

        return [.. texts.Where(HasHttpWord).Distinct()];
    }
}
