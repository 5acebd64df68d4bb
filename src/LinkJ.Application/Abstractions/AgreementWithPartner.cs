using LinkJ.Domain.Agreements;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Abstractions;

/// <summary>A live agreement as it is read: with its partner and the running numbers the database keeps on it.</summary>
/// <param name="Agreement">The agreement.</param>
/// <param name="Partner">Its partner.</param>
/// <param name="OrdinalOverall">Its running number among all partnerships; null when it does not count.</param>
/// <param name="OrdinalWithinKind">Its running number among partnerships with partners of the same kind.</param>
public sealed record AgreementWithPartner(Agreement Agreement, Partner Partner, long? OrdinalOverall, long? OrdinalWithinKind)
{
    public AgreementOrdinal? Ordinal() => AgreementOrdinal.FromColumns(Agreement.Id, OrdinalOverall, OrdinalWithinKind);
}
