using LinkJ.Application.Common;
using Mediator;

namespace LinkJ.Application.Partners.Commands.UpsertPartnerByRef;

/// <summary>
/// Creates or replaces the partner a client system knows by its own id. Retrying it never creates a duplicate.
/// Changing an existing partner needs <paramref name="ExpectedVersion"/> (If-Match); resending what is stored does not.
/// </summary>
/// <param name="Source">The client system, e.g. crm.</param>
/// <param name="ExternalId">The partner's id in that system.</param>
/// <param name="ExpectedVersion">The version the client read (If-Match), if any.</param>
/// <param name="Fields">The partner, parsed (<see cref="PartnerFields.Parse"/>).</param>
public sealed record UpsertPartnerByRefCommand(string Source, string ExternalId, VersionCondition? ExpectedVersion, PartnerFields Fields)
    : ICommand<Upserted<PartnerDto>>;
