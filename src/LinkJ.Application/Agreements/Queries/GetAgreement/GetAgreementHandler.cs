using LinkJ.Application.Abstractions;
using LinkJ.Application.CooperationScopes;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Agreements.Queries.GetAgreement;

public sealed class GetAgreementHandler(IAppDbContext db) : IQueryHandler<GetAgreementQuery, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(GetAgreementQuery query, CancellationToken cancellationToken)
    {
        var row = await db.Agreements.AsNoTracking()
            .Where(a => a.Id == query.Id && a.DeletedAt == null)
            .Join(db.Partners.AsNoTracking(), a => a.PartnerId, p => p.Id, (a, p) => new { Agreement = a, Partner = p })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(AgreementErrors.NotFound);

        var ordinal = await db.AgreementOrdinals.FirstOrDefaultAsync(o => o.AgreementId == query.Id, cancellationToken);
        var vocabulary = await db.LoadVocabularyAsync(cancellationToken);
        return row.Agreement.ToDto(row.Partner.ToSummary(), ordinal, vocabulary);
    }
}
