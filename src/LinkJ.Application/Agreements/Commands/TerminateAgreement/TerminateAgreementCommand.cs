using LinkJ.Application.Common;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.TerminateAgreement;

/// <summary>Active → terminated, on a date and for a reason. Terminated is final.</summary>
/// <param name="Id">The agreement.</param>
/// <param name="ExpectedVersion">The version the client read (its If-Match).</param>
/// <param name="On">The termination date, YYYY-MM-DD.</param>
/// <param name="Reason">Why it ended.</param>
public sealed record TerminateAgreementCommand(Guid Id, VersionCondition ExpectedVersion, string? On, string? Reason) : ICommand<AgreementDto>;
