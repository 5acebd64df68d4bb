using LinkJ.Application.Common.Dtos;

namespace LinkJ.Application.Partners;

/// <summary>What a client sends to create or replace a partner.</summary>
public sealed record PartnerInput
{
    /// <summary>URL identifier: lowercase letters, digits and single hyphens, e.g. kanagawa-prefecture.</summary>
    public string? Slug { get; init; }

    public BilingualTextDto? Name { get; init; }

    /// <summary>Usual abbreviation (UCSD, KRP).</summary>
    public string? ShortName { get; init; }

    /// <summary>university, research-institute, industry-association, local-government, foundation, company or other.</summary>
    public string? Kind { get; init; }

    /// <summary>ISO 3166-1 alpha-2 code.</summary>
    public string? Country { get; init; }

    public BilingualTextDto? Region { get; init; }

    /// <summary>Absolute http(s) URL.</summary>
    public string? Website { get; init; }

    public IReadOnlyList<FormerNameDto>? FormerNames { get; init; }
}
