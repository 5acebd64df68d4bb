using LinkJ.Application.Abstractions;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using Mediator;

namespace LinkJ.Application.Agreements.Queries.GetAgreement;

public sealed class GetAgreementHandler(IAgreementQueries agreements, ILanguageContext language) : IQueryHandler<GetAgreementQuery, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(GetAgreementQuery query, CancellationToken cancellationToken) =>
        await agreements.FindAsync(query.Id, language.Language, cancellationToken) ?? throw new DomainException(AgreementErrors.NotFound);
}
