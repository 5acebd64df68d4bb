using LinkJ.Application.Common.Dtos;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Partners;

/// <summary>A partner organisation as the API shows it.</summary>
public sealed record PartnerDto
{
    public required Guid Id { get; init; }

    /// <summary>URL identifier, usable in place of the id.</summary>
    public required string Slug { get; init; }

    public required BilingualTextDto Name { get; init; }

    /// <summary>Usual abbreviation (UCSD, KRP, OUI).</summary>
    public string? ShortName { get; init; }

    /// <summary>Names the partner was known by before.</summary>
    public required IReadOnlyList<FormerNameDto> FormerNames { get; init; }

    public required PartnerKind Kind { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    public required string Country { get; init; }

    /// <summary>True when the partner is outside Japan.</summary>
    public required bool IsOverseas { get; init; }

    /// <summary>Region within the country, e.g. 関西圏 / Kansai.</summary>
    public BilingualTextDto? Region { get; init; }

    public Uri? Website { get; init; }

    /// <summary>The id a client system gave it, when that client created it by upsert.</summary>
    public ExternalReferenceDto? ExternalRef { get; init; }

    /// <summary>Display texts in the negotiated language (Accept-Language or ?lang=), Japanese where English is missing.</summary>
    public required LocalizedPartnerDto Localized { get; init; }

    /// <summary>Grows by one with every change; the ETag is derived from it.</summary>
    public required int Version { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A name the partner had before.</summary>
/// <param name="Name">The former name.</param>
/// <param name="Until">When it stopped being used (YYYY-MM or YYYY-MM-DD), where known.</param>
public sealed record FormerNameDto(BilingualTextDto Name, string? Until);

/// <summary>What an agreement shows of its partner, so that a website needs one call.</summary>
public sealed record PartnerSummaryDto
{
    /// <summary>The partner's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>URL identifier, usable in place of the id.</summary>
    public required string Slug { get; init; }

    /// <summary>The partner's name in Japanese and English.</summary>
    public required BilingualTextDto Name { get; init; }

    /// <summary>Usual abbreviation (UCSD, KRP, OUI).</summary>
    public string? ShortName { get; init; }

    /// <summary>What sort of organisation it is.</summary>
    public required PartnerKind Kind { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    public required string Country { get; init; }

    /// <summary>The partner's name in the negotiated language.</summary>
    public required string DisplayName { get; init; }
}

/// <summary>A partner's display texts in one language.</summary>
/// <param name="Language">The language of these texts: ja or en.</param>
/// <param name="Name">The name (Japanese where there is no English one).</param>
/// <param name="Kind">The kind, as a website shows it.</param>
/// <param name="Region">The region, where there is one.</param>
public sealed record LocalizedPartnerDto(string Language, string Name, string Kind, string? Region);
