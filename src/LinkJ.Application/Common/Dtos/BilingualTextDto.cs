namespace LinkJ.Application.Common.Dtos;

/// <summary>A text in Japanese (always) and English (where known).</summary>
/// <param name="Ja">Japanese, as LINK-J writes it.</param>
/// <param name="En">English, as the organisation spells it; null when unknown.</param>
public sealed record BilingualTextDto(string Ja, string? En);
