using LinkJ.Application.Abstractions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Partners.Queries.GetPartner;

public sealed class GetPartnerHandler(IAppDbContext db, ILanguageContext language) : IQueryHandler<GetPartnerQuery, PartnerDto>
{
    public async ValueTask<PartnerDto> Handle(GetPartnerQuery query, CancellationToken cancellationToken)
    {
        var partner = await db.Partners.AsNoTracking().FindLiveAsync(query.IdOrSlug, cancellationToken);
        return partner.ToDto(language.Language);
    }
}
