namespace LinkJ.Application.Abstractions;

/// <summary>
/// An agreement's place among LINK-J's partnerships, by signing date (same-month partnerships keep the source's
/// order): Osaka Prefecture's MOU is the 13th overall and the 3rd with a local government. Drafts, deleted agreements
/// and renewals do not count as new partnerships.
/// </summary>
public sealed class AgreementOrdinal
{
    public Guid AgreementId { get; init; }

    /// <summary>Among all partnerships (13例目).</summary>
    public long Overall { get; init; }

    /// <summary>Among partnerships with partners of the same kind (自治体との…3例目).</summary>
    public long WithinPartnerKind { get; init; }

    /// <summary>The ordinal from the running-number columns the database keeps on an agreement; null when it does not count.</summary>
    public static AgreementOrdinal? FromColumns(Guid agreementId, long? overall, long? withinKind) => overall is { } value
        ? new AgreementOrdinal { AgreementId = agreementId, Overall = value, WithinPartnerKind = withinKind ?? 0 }
        : null;
}
