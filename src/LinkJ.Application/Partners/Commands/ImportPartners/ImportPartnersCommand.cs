using LinkJ.Application.Common.Imports;
using Mediator;

namespace LinkJ.Application.Partners.Commands.ImportPartners;

/// <summary>One row of a partners import, as read from JSON lines or CSV.</summary>
/// <param name="Row">Its number in the file (1 = the first record).</param>
/// <param name="Key">Which partner it is: external reference, else the service's id.</param>
/// <param name="Input">The partner, as a PUT by-ref body.</param>
/// <param name="Fields">For CSV: the fields its columns give (the others keep their stored values); null for a whole record.</param>
/// <param name="Errors">What made the row unreadable, by field; the row fails with them.</param>
public sealed record PartnerImportRow(
    int Row,
    ImportKey Key,
    PartnerInput Input,
    IReadOnlySet<string>? Fields = null,
    IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>Creates or replaces many partners by external reference (or id), like <see cref="Agreements.Commands.ImportAgreements.ImportAgreementsCommand"/>.</summary>
public sealed record ImportPartnersCommand(IReadOnlyList<PartnerImportRow> Rows, ImportMode Mode, bool DryRun) : ICommand<ImportResult>;
