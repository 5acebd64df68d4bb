using LinkJ.Domain.CooperationScopes;

namespace LinkJ.Application.Abstractions;

/// <summary>
/// The two reads the write side's use cases share: an agreement as a response shows it (a write's read-back) and the
/// cooperation vocabulary. Writes go through the repositories and <see cref="IUnitOfWork"/>, reads through the query services.
/// </summary>
public interface IAppDbContext
{
    /// <summary>
    /// One live agreement with its partner and running numbers, by id; null when there is none. Every agreement read
    /// and every write's read-back goes through it, so implementations should keep its query compiled.
    /// </summary>
    Task<AgreementWithPartner?> FindLiveAgreementAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The whole cooperation vocabulary in display order: a few dozen rows that change only with a release,
    /// so implementations may keep it for a short while.</summary>
    Task<IReadOnlyList<CooperationScope>> LoadVocabularyAsync(CancellationToken cancellationToken);
}
