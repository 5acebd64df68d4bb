namespace LinkJ.Infrastructure.Persistence.Configurations;

/// <summary>The database-maintained shadow properties of partners and agreements, by name (only the model uses them).</summary>
internal static class ShadowProperties
{
    /// <summary>The database-generated insertion sequence: it keeps the source document's order among records with the same date.</summary>
    public const string Sequence = "Seq";

    /// <summary>
    /// The database-computed search text: names, short names and former names (titles for agreements) in both
    /// languages, NFKC-normalised and lower-cased.
    /// </summary>
    public const string SearchText = "SearchText";

    /// <summary>
    /// The running numbers a new agreement's insert returns (<see cref="Persistence.AgreementRepository.InsertedOrdinal"/>),
    /// read only for the create's response: the stored columns are not kept up to date afterwards, reads derive the
    /// numbers (ADR 0033).
    /// </summary>
    public const string OrdinalOverall = "OrdinalOverall";

    /// <inheritdoc cref="OrdinalOverall"/>
    public const string OrdinalWithinKind = "OrdinalWithinKind";
}
