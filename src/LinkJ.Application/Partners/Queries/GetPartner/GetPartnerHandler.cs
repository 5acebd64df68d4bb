using LinkJ.Application.Abstractions;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;

namespace LinkJ.Application.Partners.Queries.GetPartner;

public sealed class GetPartnerHandler(IPartnerQueries partners, ILanguageContext language) : IQueryHandler<GetPartnerQuery, PartnerDto>
{
    public async ValueTask<PartnerDto> Handle(GetPartnerQuery query, CancellationToken cancellationToken) =>
        await partners.FindAsync(query.Partner, language.Language, cancellationToken) ?? throw new DomainException(PartnerErrors.NotFound);
}
