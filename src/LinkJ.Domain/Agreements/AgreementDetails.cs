using LinkJ.Domain.Common;

namespace LinkJ.Domain.Agreements;

/// <summary>Everything that describes an agreement apart from its lifecycle, as one value.</summary>
/// <param name="PartnerId">The partner LINK-J signed with.</param>
/// <param name="Type">The kind of instrument (MOU, ...).</param>
/// <param name="Title">The agreement's title.</param>
/// <param name="SignedOn">When it was signed, to the day or the month.</param>
/// <param name="Validity">When it is in force.</param>
/// <param name="Cooperation">What the partners agreed to do.</param>
/// <param name="Signatories">Who signed.</param>
/// <param name="SourceNote">Where the values came from, and conflicts between sources.</param>
public sealed record AgreementDetails(
    Guid PartnerId,
    AgreementType Type,
    BilingualText Title,
    PartialDate SignedOn,
    Validity Validity,
    Cooperation Cooperation,
    IReadOnlyList<Signatory> Signatories,
    string? SourceNote)
{
    public bool Equals(AgreementDetails? other) =>
        other is not null
        && PartnerId == other.PartnerId && Type == other.Type && Title == other.Title && SignedOn == other.SignedOn
        && Validity == other.Validity && Cooperation == other.Cooperation && SourceNote == other.SourceNote
        && Signatories.SequenceEqual(other.Signatories);

    public override int GetHashCode() => HashCode.Combine(PartnerId, Title, SignedOn);
}
