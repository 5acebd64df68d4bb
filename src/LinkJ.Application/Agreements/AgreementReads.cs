using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Application.CooperationScopes;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using Microsoft.EntityFrameworkCore;

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

    public static Task<Agreement> LoadForChangeAsync(this IAppDbContext db, Guid id, int? expectedVersion, CancellationToken cancellationToken) =>
        db.Agreements.LoadForChangeAsync(id, expectedVersion, AgreementErrors.NotFound, cancellationToken);

    public static Task SaveChangeAsync(this IAppDbContext db, Agreement agreement, CancellationToken cancellationToken) =>
        db.SaveChangeAsync(db.Agreements, agreement, cancellationToken);
}
