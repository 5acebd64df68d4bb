using LinkJ.Application.Abstractions;
using LinkJ.Application.Common.Paging;
using Mediator;

namespace LinkJ.Application.Agreements.Queries.ListEndingAgreements;

/// <summary>Every agreement in force that has a last day (the calendar feed), in signing order, at most <see cref="Max"/>.</summary>
public sealed record ListEndingAgreementsQuery : IQuery<IReadOnlyList<AgreementDto>>
{
    public const int Max = 5000;
}

public sealed class ListEndingAgreementsHandler(IAgreementQueries agreements, ILanguageContext language)
    : IQueryHandler<ListEndingAgreementsQuery, IReadOnlyList<AgreementDto>>
{
    public async ValueTask<IReadOnlyList<AgreementDto>> Handle(ListEndingAgreementsQuery query, CancellationToken cancellationToken)
    {
        var all = new List<AgreementDto>();
        PageKey? after = null;
        do
        {
            var slice = await agreements.ListAsync(new AgreementCriteria
            {
                Ending = (DateOnly.MinValue, DateOnly.MaxValue),
                Sort = AgreementSort.SignedOn,
                After = after,
                Limit = PageLimits.Max,
            }, language.Language, cancellationToken);
            all.AddRange(slice.Items);
            after = slice.Next;
        }
        while (after is not null && all.Count < ListEndingAgreementsQuery.Max);

        return all;
    }
}
