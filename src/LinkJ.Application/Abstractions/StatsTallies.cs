using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Abstractions;

// Counts the database keeps up to date as agreements and partners change (triggers, in the writing transaction), so
// that the statistics read a few dozen rows instead of grouping every agreement. "Partnerships" are the counted
// agreements: live, not drafts, not renewals (the same rows that have a running number).

/// <summary>Live partners of one kind in one country.</summary>
public sealed class PartnerTally
{
    public CountryCode Country { get; init; } = null!;

    public PartnerKind Kind { get; init; }

    public long Count { get; init; }
}

/// <summary>Partnerships signed in one year with partners of one kind in one country.</summary>
public sealed class PartnershipTally
{
    public CountryCode Country { get; init; } = null!;

    public PartnerKind Kind { get; init; }

    public int Year { get; init; }

    public long Count { get; init; }
}

/// <summary>Live agreements in one status.</summary>
public sealed class AgreementStatusTally
{
    public AgreementStatus Status { get; init; }

    public long Count { get; init; }
}

/// <summary>Partnerships that name one cooperation scope.</summary>
public sealed class ScopeTally
{
    public string Code { get; init; } = null!;

    public long Count { get; init; }
}
