using LinkJ.Application.Abstractions;
using Mediator;

namespace LinkJ.Application.Agreements.Queries.GetAgreement;

public sealed class GetAgreementHandler(IAppDbContext db, ILanguageContext language) : IQueryHandler<GetAgreementQuery, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(GetAgreementQuery query, CancellationToken cancellationToken) =>
        await db.ReadAgreementAsync(query.Id, language.Language, cancellationToken);
}
