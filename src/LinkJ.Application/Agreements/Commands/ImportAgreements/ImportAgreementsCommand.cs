using LinkJ.Application.Common.Imports;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.ImportAgreements;

/// <summary>One row of an agreements import, as read from JSON lines or CSV.</summary>
/// <param name="Row">Its number in the file (1 = the first record).</param>
/// <param name="Key">Which agreement it is: external reference, else the service's id.</param>
/// <param name="PartnerSlug">The partner by slug, when <see cref="AgreementInput.PartnerId"/> is not given.</param>
/// <param name="Input">The agreement, as a PUT by-ref body.</param>
/// <param name="Fields">For CSV: the fields its columns give (the others keep their stored values); null for a whole record.</param>
/// <param name="Errors">What made the row unreadable, by field; the row fails with them.</param>
public sealed record AgreementImportRow(
    int Row,
    ImportKey Key,
    string? PartnerSlug,
    NewAgreementInput Input,
    IReadOnlySet<string>? Fields = null,
    IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>
/// Creates or replaces many agreements by external reference (or id): validated all first; written all or nothing
/// (<see cref="ImportMode.Atomic"/>) or row by row; or only checked (<paramref name="DryRun"/>).
/// </summary>
public sealed record ImportAgreementsCommand(IReadOnlyList<AgreementImportRow> Rows, ImportMode Mode, bool DryRun) : ICommand<ImportResult>;
