using LinkJ.Application.Abstractions;
using LinkJ.Application.Common.Dtos;
using LinkJ.Application.Common.Imports;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Mediator;

namespace LinkJ.Application.Partners.Commands.ImportPartners;

public sealed class ImportPartnersHandler(IImportStore store, IClock clock) : ICommandHandler<ImportPartnersCommand, ImportResult>
{
    public async ValueTask<ImportResult> Handle(ImportPartnersCommand command, CancellationToken cancellationToken)
    {
        var ledger = new ImportLedger(command.Rows.Count, command.Mode, command.DryRun);
        var rows = command.Rows;
        foreach (var row in rows.Where(r => r.Errors is not null))
        {
            ledger.Errors(row.Row, row.Errors);
        }

        // Partners are few (hundreds): every one is read once, to find rows' records and the slugs already taken.
        var stored = await store.PartnersAsync(cancellationToken);
        var byRef = stored.Where(p => p.ExternalRef is not null).ToDictionary(p => (p.ExternalRef!.Source, p.ExternalRef.Id));
        var byId = stored.ToDictionary(p => p.Id);
        var slugOwner = stored.Where(p => !p.IsDeleted).ToDictionary(p => p.Slug.Value, p => p.Id, StringComparer.Ordinal);
        var now = clock.UtcNow;
        var applyNow = command.Mode == ImportMode.Atomic || command.DryRun;

        var staged = new List<(PartnerImportRow Row, Partner Partner, bool Created, PartnerDetails Details)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var slugRow = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (ledger.Failed(row.Row))
            {
                continue;
            }

            Partner? current = null;
            ExternalReference? reference = null;
            string keyText;
            if (row.Key.HasReference)
            {
                try
                {
                    reference = ExternalReference.Create(row.Key.Source, row.Key.ExternalId);
                }
                catch (DomainException exception)
                {
                    ledger.Error(row.Row, exception.Error.Field ?? "externalRef", exception.Error.Message);
                    continue;
                }

                keyText = "ref:" + reference.Source + "\n" + reference.Id;
                byRef.TryGetValue((reference.Source, reference.Id), out current);
            }
            else if (row.Key.Id is { } id)
            {
                keyText = "id:" + id.ToString();
                if (!byId.TryGetValue(id, out current))
                {
                    ledger.Error(row.Row, "id", "No partner has this id; give an external reference (externalRef, or external_source and external_id) to create one.");
                    continue;
                }
            }
            else
            {
                ledger.Error(row.Row, "externalRef", "Each row names its partner: an external reference (externalRef, or external_source and external_id; ?source= gives a default source), or the id of a stored partner.");
                continue;
            }

            if (seen.TryGetValue(keyText, out var first))
            {
                ledger.Error(row.Row, row.Key.HasReference ? "externalRef" : "id", $"The same partner as row {first}: a file names each record once.");
                continue;
            }

            seen[keyText] = row.Row;
            if (current is { IsDeleted: true })
            {
                ledger.Error(row.Row, row.Key.HasReference ? "externalRef" : "id", PartnerErrors.Deleted.Message);
                continue;
            }

            var input = Merge(current, row);
            var parsed = PartnerFields.TryParse(input, out var fields, out var failures);
            foreach (var failure in failures)
            {
                ledger.Error(row.Row, failure.PropertyName, failure.ErrorMessage);
            }

            if (!parsed)
            {
                continue;
            }

            // The database refuses a slug taken twice; say which row first, and which rows collide with each other.
            var slug = fields!.Slug.Value;
            if ((slugOwner.TryGetValue(slug, out var owner) && owner != current?.Id) || slugRow.ContainsKey(slug))
            {
                ledger.Error(row.Row, "slug", slugRow.TryGetValue(slug, out var other) ? $"Row {other} gives the same slug." : PartnerErrors.SlugTaken.Message);
                continue;
            }

            slugRow[slug] = row.Row;
            try
            {
                var details = fields.ToDetails();
                if (current is null)
                {
                    var partner = Partner.Create(Guid.CreateVersion7(), details, now);
                    partner.LinkExternalReference(reference!);
                    staged.Add((row, partner, true, details));
                }
                else
                {
                    staged.Add((row, current, false, details));
                    if (applyNow)
                    {
                        if (!command.DryRun)
                        {
                            store.StageStored(row.Row, current);
                        }

                        ApplyUpdate(current, details, now, ledger, row.Row);
                    }
                }
            }
            catch (DomainException exception)
            {
                ledger.Error(row.Row, exception.Error.Field ?? string.Empty, exception.Error.Message);
            }
        }

        if (command.Mode == ImportMode.Atomic && ledger.HasErrors)
        {
            store.Discard();
            throw ledger.Rejection();
        }

        var creates = staged.Where(s => s.Created).ToList();
        return await ImportWrites.WriteAsync(
            store, ledger, command.Mode, command.DryRun,
            [.. creates.Select(c => (c.Row.Row, c.Partner))],
            staged.Where(s => !s.Created).Select(s => (s.Row.Row, s.Partner, (Func<bool>)(() => ApplyUpdate(s.Partner, s.Details, now, ledger, s.Row.Row)))),
            cancellationToken);
    }

    private static bool ApplyUpdate(Partner partner, PartnerDetails details, DateTimeOffset now, ImportLedger ledger, int row)
    {
        var changed = partner.Update(details, now);
        ledger.Outcome(row, partner.Id, changed ? "updated" : "unchanged");
        return changed;
    }

    /// <summary>
    /// The whole input of a row: a JSON line is a whole record; a CSV row gives the fields of its columns, the others
    /// keep the stored partner's values. Former names in CSV are their Japanese names: the same list keeps the stored
    /// ones (with their English names and dates), another list replaces them.
    /// </summary>
    private static PartnerInput Merge(Partner? stored, PartnerImportRow row)
    {
        if (row.Fields is not { } fields)
        {
            return row.Input;
        }

        var input = row.Input;
        var basis = stored?.ToInput() ?? new PartnerInput();
        string? Pick(string field, string? given, string? kept) => fields.Contains(field) ? given : kept;

        var formerNames = basis.FormerNames;
        if (fields.Contains("formerNames"))
        {
            var given = input.FormerNames ?? [];
            var kept = basis.FormerNames ?? [];
            if (!given.Select(f => f.Name.Ja).SequenceEqual(kept.Select(f => f.Name.Ja), StringComparer.Ordinal))
            {
                formerNames = given;
            }
        }

        var regionJa = Pick("region.ja", input.Region?.Ja, basis.Region?.Ja);
        var regionEn = Pick("region.en", input.Region?.En, basis.Region?.En);
        return new PartnerInput
        {
            Slug = Pick("slug", input.Slug, basis.Slug),
            Name = new BilingualTextDto(Pick("name.ja", input.Name?.Ja, basis.Name?.Ja)!, Pick("name.en", input.Name?.En, basis.Name?.En)),
            ShortName = Pick("shortName", input.ShortName, basis.ShortName),
            Kind = Pick("kind", input.Kind, basis.Kind),
            Country = Pick("country", input.Country, basis.Country),
            Region = regionJa is null && regionEn is null ? null : new BilingualTextDto(regionJa!, regionEn),
            Website = Pick("website", input.Website, basis.Website),
            FormerNames = formerNames,
        };
    }
}
