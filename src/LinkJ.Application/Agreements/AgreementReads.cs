using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Application.CooperationScopes;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Agreements;

public static class AgreementReads
{
    /// <summary>One live agreement as the API shows it, or <see cref="AgreementErrors.NotFound"/>.</summary>
    public static async Task<AgreementDto> ReadAgreementAsync(this IAppDbContext db, Guid id, Language language, CancellationToken cancellationToken)
    {
        var row = await db.FindLiveAgreementAsync(id, cancellationToken) ?? throw new DomainException(AgreementErrors.NotFound);
        var vocabulary = await db.LoadVocabularyByCodeAsync(cancellationToken);
        return row.Agreement.ToDto(row.Partner, row.Ordinal(), vocabulary, language);
    }

    /// <summary>
    /// An agreement just inserted, as the API shows it, built from what the insert returned (its running numbers,
    /// <see cref="IAgreementRepository.InsertedOrdinal"/>) and its partner as loaded for the create: a create needs no
    /// read-back, which would be one more round trip (ADR 0014).
    /// </summary>
    public static async Task<AgreementDto> ShowInsertedAsync(this IAppDbContext db, Agreement agreement, Partner partner, AgreementOrdinal? ordinal, Language language, CancellationToken cancellationToken)
    {
        var vocabulary = await db.LoadVocabularyByCodeAsync(cancellationToken);
        return agreement.ToDto(partner, ordinal, vocabulary, language);
    }
}
