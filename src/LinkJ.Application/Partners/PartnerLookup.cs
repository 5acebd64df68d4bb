using LinkJ.Application.Abstractions;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Microsoft.EntityFrameworkCore;

namespace LinkJ.Application.Partners;

/// <summary>Finds a partner by id or slug, the two ways a URL can name one.</summary>
public static class PartnerLookup
{
    public static IQueryable<Partner> WhereIdOrSlug(this IQueryable<Partner> partners, string idOrSlug)
    {
        if (Guid.TryParse(idOrSlug, out var id))
        {
            return partners.Where(p => p.Id == id);
        }

        if (!Slug.IsValid(idOrSlug))
        {
            return partners.Where(p => false);
        }

        var slug = Slug.Create(idOrSlug);
        return partners.Where(p => p.Slug == slug);
    }

    /// <summary>The partner that is not deleted, or a <see cref="DomainException"/> with <see cref="PartnerErrors.NotFound"/>.</summary>
    public static async Task<Partner> FindLiveAsync(this IQueryable<Partner> partners, string idOrSlug, CancellationToken cancellationToken) =>
        await partners.WhereIdOrSlug(idOrSlug).Where(p => p.DeletedAt == null).FirstOrDefaultAsync(cancellationToken)
        ?? throw new DomainException(PartnerErrors.NotFound);
}
