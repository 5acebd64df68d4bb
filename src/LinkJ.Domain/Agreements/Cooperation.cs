using LinkJ.Domain.Common;

namespace LinkJ.Domain.Agreements;

/// <summary>
/// What the partners agreed to do together: at least one scope from the vocabulary, whether the list is open
/// (the release's lists end in 等, "and so on"), and a free note for what the codes do not say.
/// </summary>
public sealed record Cooperation
{
    private Cooperation(IReadOnlyList<string> scopes, bool isOpenEnded, string? note)
    {
        Scopes = scopes;
        IsOpenEnded = isOpenEnded;
        Note = note;
    }

    /// <summary>The codes of the cooperation scopes, in the order the source lists them.</summary>
    public IReadOnlyList<string> Scopes { get; private init; }

    /// <summary>True when the source's list is not closed (it ends in 等).</summary>
    public bool IsOpenEnded { get; private init; }

    public string? Note { get; private init; }

    public static Cooperation Create(IEnumerable<string> scopeCodes, bool isOpenEnded = false, string? note = null)
    {
        var scopes = scopeCodes.ToList();
        Guard.That(scopes.Count > 0, AgreementErrors.ScopeRequired);
        Guard.That(scopes.Count <= AgreementErrors.MaxScopes, AgreementErrors.TooManyScopes);
        Guard.That(scopes.All(code => code is not null && Slug.IsValid(code)), CommonErrors.InvalidSlug.ForField("scopes"));
        Guard.That(scopes.Distinct(StringComparer.Ordinal).Count() == scopes.Count, AgreementErrors.DuplicateScope);
        return new Cooperation(scopes, isOpenEnded, Guard.OptionalText(note, AgreementErrors.MaxNoteLength));
    }

    public bool Equals(Cooperation? other) =>
        other is not null && IsOpenEnded == other.IsOpenEnded && Note == other.Note && Scopes.SequenceEqual(other.Scopes);

    public override int GetHashCode() => HashCode.Combine(Scopes.Count, IsOpenEnded, Note);
}
