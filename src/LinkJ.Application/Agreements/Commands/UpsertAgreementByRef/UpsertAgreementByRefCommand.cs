using LinkJ.Application.Common;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.UpsertAgreementByRef;

/// <summary>
/// Creates or replaces the agreement a client system knows by its own id. Retrying it never creates a duplicate.
/// Changing an existing agreement needs <paramref name="ExpectedVersion"/> (If-Match); resending what is stored does not.
/// </summary>
/// <param name="Source">The client system, e.g. crm.</param>
/// <param name="ExternalId">The agreement's id in that system.</param>
/// <param name="ExpectedVersion">The version the client read (If-Match), if any.</param>
/// <param name="Fields">The agreement, parsed (<see cref="AgreementFields.ParseNew"/>).</param>
/// <param name="Status">Draft or active: applies only when it is created.</param>
public sealed record UpsertAgreementByRefCommand(string Source, string ExternalId, VersionCondition? ExpectedVersion, AgreementFields Fields, Domain.Agreements.AgreementStatus Status)
    : ICommand<Upserted<AgreementDto>>;
