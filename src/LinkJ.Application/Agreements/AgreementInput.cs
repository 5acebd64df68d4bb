using LinkJ.Application.Common.Dtos;

namespace LinkJ.Application.Agreements;

/// <summary>What a client sends to create or replace an agreement.</summary>
public record AgreementInput
{
    /// <summary>The partner LINK-J signed with (see /api/v1/partners).</summary>
    public Guid? PartnerId { get; init; }

    /// <summary>mou, collaboration-agreement or other.</summary>
    public string? Type { get; init; }

    public BilingualTextDto? Title { get; init; }

    /// <summary>YYYY-MM-DD, or YYYY-MM when only the month is known.</summary>
    public string? SignedOn { get; init; }

    /// <summary>When it is in force; by default from the signing date, open-ended.</summary>
    public ValidityInput? Validity { get; init; }

    public CooperationInput? Cooperation { get; init; }

    public IReadOnlyList<SignatoryDto>? Signatories { get; init; }

    public string? SourceNote { get; init; }
}

/// <summary>A new agreement: its details and the status it starts in.</summary>
public sealed record NewAgreementInput : AgreementInput
{
    /// <summary>draft or active (default).</summary>
    public string? Status { get; init; }
}

/// <summary>When an agreement is in force.</summary>
/// <param name="From">First day in force (YYYY-MM-DD); by default the signing date.</param>
/// <param name="Until">Last day in force (YYYY-MM-DD); none for open-ended.</param>
/// <param name="TermMonths">The term in months; fixes <paramref name="Until"/> when given.</param>
public sealed record ValidityInput(string? From, string? Until, int? TermMonths);

/// <summary>What the partners agreed to do together.</summary>
/// <param name="Scopes">Codes from /api/v1/cooperation-scopes, at least one.</param>
/// <param name="IsOpenEnded">True when the list is not closed (等).</param>
/// <param name="Note">Free text.</param>
public sealed record CooperationInput(IReadOnlyList<string>? Scopes, bool IsOpenEnded, string? Note);
