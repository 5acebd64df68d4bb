namespace LinkJ.Api.IntegrationTests.Infrastructure;

/// <summary>
/// What the seeded database holds, written out from the 2020-09-07 release rather than read from the seed code, so a
/// change to the seed that breaks the document shows up as a failing test.
/// </summary>
public static class Seeded
{
    public const string Ucsd = "ucsd";
    public const string Biocom = "biocom";
    public const string Eurobiomed = "eurobiomed";
    public const string KyotoResearchPark = "kyoto-research-park";
    public const string OneNucleus = "one-nucleus";
    public const string Kobe = "kobe-biomedical-innovation-cluster";
    public const string Keio = "keio-iab";
    public const string MedCity = "medcity";
    public const string Kawasaki = "kawasaki-city";
    public const string Ucla = "ucla";
    public const string Yokohama = "yokohama-city";
    public const string Oxford = "oxford-university-innovation";
    public const string Osaka = "osaka-prefecture";

    /// <summary>The partners (and their one agreement each) in the order of the release's table.</summary>
    public static IReadOnlyList<string> InDocumentOrder { get; } =
    [
        Ucsd, Biocom, Eurobiomed, KyotoResearchPark, OneNucleus, Kobe, Keio, MedCity, Kawasaki, Ucla, Yokohama, Oxford, Osaka,
    ];

    /// <summary>The slugs of a space-separated list, for readable theory data.</summary>
    public static string[] Slugs(string spaceSeparated) =>
        spaceSeparated.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
