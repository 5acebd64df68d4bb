namespace LinkJ.Application.Abstractions;

/// <summary>
/// An agreement's running numbers, derived by the database in the query's snapshot (ADR 0033): the partnerships in the
/// years, months and days before its own (tallies, ADR 0059) plus its rank inside its day. Only for use inside queries, where they
/// translate to the SQL functions <c>linkj_agreement_ordinal_overall</c> and <c>linkj_agreement_ordinal_within_kind</c>;
/// null when the agreement is not a partnership (a draft, deleted, a renewal).
/// </summary>
public static class RunningNumbers
{
    public static long? Overall(Guid agreementId) => throw new NotSupportedException("Only for use inside a query.");

    public static long? WithinPartnerKind(Guid agreementId) => throw new NotSupportedException("Only for use inside a query.");
}
