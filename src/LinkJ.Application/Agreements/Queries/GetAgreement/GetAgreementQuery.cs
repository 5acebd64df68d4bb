using Mediator;

namespace LinkJ.Application.Agreements.Queries.GetAgreement;

/// <summary>One agreement by id, with its partner's summary and its running number.</summary>
/// <param name="Id">The agreement's id.</param>
public sealed record GetAgreementQuery(Guid Id) : IQuery<AgreementDto>;
