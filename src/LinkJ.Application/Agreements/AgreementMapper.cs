using LinkJ.Application.Abstractions;
using LinkJ.Application.Common.Dtos;
using LinkJ.Application.CooperationScopes;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Riok.Mapperly.Abstractions;

namespace LinkJ.Application.Agreements;

/// <summary>
/// Maps an agreement with what it is read with (its partner, its ordinal and the scope vocabulary) to its wire form.
/// </summary>
[Mapper]
[UseStaticMapper(typeof(CommonMapper))]
public static partial class AgreementMapper
{
    public static AgreementDto ToDto(
        this Agreement agreement,
        Partner partner,
        AgreementOrdinal? ordinal,
        IReadOnlyDictionary<string, CooperationScopeDto> vocabulary,
        Language language)
    {
        var scopes = agreement.Cooperation.Scopes
            .Select(code => vocabulary.TryGetValue(code, out var scope) ? scope : CooperationScopeMapper.Unlabelled(code))
            .ToList();
        return agreement.ToDto(
            partner.ToSummary(language),
            ordinal is null ? null : new OrdinalDto(ordinal.Overall, ordinal.WithinPartnerKind),
            new CooperationDto(scopes, agreement.Cooperation.IsOpenEnded, agreement.Cooperation.Note),
            new LocalizedAgreementDto(
                language.Code(),
                agreement.Title.In(language),
                partner.Name.In(language),
                [.. scopes.Select(s => language == Language.English ? s.Label.En ?? s.Label.Ja : s.Label.Ja)]));
    }

    [MapProperty(nameof(@Agreement.SignedOn.Precision), nameof(AgreementDto.SignedOnPrecision))]
    [MapperIgnoreSource(nameof(Agreement.DeletedAt))]
    [MapperIgnoreSource(nameof(Agreement.IsDeleted))]
    [MapperIgnoreSource(nameof(Agreement.CountsAsPartnership))]
    [MapperIgnoreSource(nameof(Agreement.PartnerId))]
    [MapperIgnoreSource(nameof(Agreement.Cooperation))]
    private static partial AgreementDto ToDto(this Agreement agreement, PartnerSummaryDto partner, OrdinalDto? ordinal, CooperationDto cooperation, LocalizedAgreementDto localized);

    private static partial ValidityDto ToDto(Validity validity);

    private static partial SignatoryDto ToDto(Signatory signatory);
}
