using LinkJ.Application.Common.Dtos;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Agreements;

/// <summary>An agreement as the API shows it, with a summary of its partner and its running number.</summary>
public sealed record AgreementDto
{
    public required Guid Id { get; init; }

    public required PartnerSummaryDto Partner { get; init; }

    public required AgreementType Type { get; init; }

    public required BilingualTextDto Title { get; init; }

    /// <summary>When it was signed: YYYY-MM-DD, or YYYY-MM when only the month is known.</summary>
    public required string SignedOn { get; init; }

    /// <summary>Whether <see cref="SignedOn"/> is known to the day or only to the month.</summary>
    public required DatePrecision SignedOnPrecision { get; init; }

    public required ValidityDto Validity { get; init; }

    public required AgreementStatus Status { get; init; }

    public required CooperationDto Cooperation { get; init; }

    public required IReadOnlyList<SignatoryDto> Signatories { get; init; }

    /// <summary>Where values came from, and where sources disagree.</summary>
    public string? SourceNote { get; init; }

    public DateOnly? TerminatedOn { get; init; }

    public string? TerminationReason { get; init; }

    /// <summary>The agreement this one renews or supersedes.</summary>
    public Guid? SupersedesId { get; init; }

    /// <summary>The id a client system gave it, when that client created it by upsert.</summary>
    public ExternalReferenceDto? ExternalRef { get; init; }

    /// <summary>Display texts in the negotiated language (Accept-Language or ?lang=), Japanese where English is missing.</summary>
    public required LocalizedAgreementDto Localized { get; init; }

    /// <summary>The partnership's running number; null for drafts, deleted agreements and renewals.</summary>
    public OrdinalDto? Ordinal { get; init; }

    public required int Version { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>When an agreement is in force.</summary>
/// <param name="From">First day in force.</param>
/// <param name="Until">Last day in force; null while open-ended.</param>
/// <param name="TermMonths">The term it was signed for, if any.</param>
public sealed record ValidityDto(DateOnly From, DateOnly? Until, int? TermMonths);

/// <summary>What the partners agreed to do together.</summary>
/// <param name="Scopes">The cooperation scopes, in the source's order.</param>
/// <param name="IsOpenEnded">True when the source's list is not closed (it ends in 等, "and so on").</param>
/// <param name="Note">Free text for what the scopes do not say.</param>
public sealed record CooperationDto(IReadOnlyList<CooperationScopeDto> Scopes, bool IsOpenEnded, string? Note);

/// <summary>A person at the signing.</summary>
/// <param name="Name">Their name.</param>
/// <param name="Title">Their title or role.</param>
/// <param name="Organisation">Whom they signed for.</param>
public sealed record SignatoryDto(BilingualTextDto Name, BilingualTextDto? Title, BilingualTextDto? Organisation);

/// <summary>The partnership's running number: Osaka Prefecture is LINK-J's 13th partnership and its 3rd with a local government.</summary>
/// <param name="Overall">Among all partnerships (13例目).</param>
/// <param name="WithinPartnerKind">Among partnerships with partners of the same kind.</param>
public sealed record OrdinalDto(long Overall, long WithinPartnerKind);

/// <summary>An item of the cooperation vocabulary.</summary>
/// <param name="Code">Stable code, e.g. publication-exchange.</param>
/// <param name="Label">What it means, in Japanese and English.</param>
public sealed record CooperationScopeDto(string Code, BilingualTextDto Label);

/// <summary>An agreement's display texts in one language.</summary>
/// <param name="Language">The language of these texts: ja or en.</param>
/// <param name="Title">The title.</param>
/// <param name="PartnerName">The partner's name.</param>
/// <param name="Scopes">The cooperation scopes' labels, in order.</param>
public sealed record LocalizedAgreementDto(string Language, string Title, string PartnerName, IReadOnlyList<string> Scopes);
