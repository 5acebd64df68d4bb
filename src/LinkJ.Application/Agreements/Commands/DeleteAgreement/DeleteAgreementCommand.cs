using LinkJ.Application.Common;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.DeleteAgreement;

/// <summary>Deletes an agreement: it disappears from reads and stays as a tombstone in the change feed and its history.</summary>
/// <param name="Id">The agreement.</param>
/// <param name="ExpectedVersion">The version the client read (its If-Match).</param>
public sealed record DeleteAgreementCommand(Guid Id, VersionCondition ExpectedVersion) : ICommand;
