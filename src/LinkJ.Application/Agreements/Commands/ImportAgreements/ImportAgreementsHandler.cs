using System.Globalization;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Dtos;
using LinkJ.Application.Common.Imports;
using LinkJ.Application.CooperationScopes;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.ImportAgreements;

public sealed class ImportAgreementsHandler(IAppDbContext db, IImportStore store, IClock clock) : ICommandHandler<ImportAgreementsCommand, ImportResult>
{
    public async ValueTask<ImportResult> Handle(ImportAgreementsCommand command, CancellationToken cancellationToken)
    {
        var ledger = new ImportLedger(command.Rows.Count, command.Mode, command.DryRun);
        var rows = command.Rows;
        foreach (var row in rows.Where(r => r.Errors is not null))
        {
            ledger.Errors(row.Row, row.Errors);
        }

        var existing = await LoadExistingAsync(rows, cancellationToken);
        var partners = (await store.PartnersAsync(cancellationToken)).Where(p => !p.IsDeleted).Select(p => new { p.Id, p.Slug }).ToList();
        var partnerIds = partners.Select(p => p.Id).ToHashSet();
        var partnerBySlug = partners.ToDictionary(p => p.Slug.Value, p => p.Id, StringComparer.Ordinal);
        var vocabulary = await db.LoadVocabularyByCodeAsync(cancellationToken);
        var today = clock.TodayInJapan;
        var now = clock.UtcNow;

        // Every row is checked before anything is written; a row is staged only when it passed. An atomic import
        // applies each update as it checks it (tracked, so only what changed is written and listed in its change
        // record, as for a single write); a per-row import applies each when it writes it.
        var applyNow = command.Mode == ImportMode.Atomic || command.DryRun;
        var staged = new List<(AgreementImportRow Row, Agreement Agreement, bool Created, AgreementDetails Details)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (ledger.Failed(row.Row))
            {
                continue;
            }

            if (!TryKey(row, ledger, out var keyText, out var reference))
            {
                continue;
            }

            if (seen.TryGetValue(keyText, out var first))
            {
                ledger.Error(row.Row, row.Key.HasReference ? "externalRef" : "id", $"The same agreement as row {first}: a file names each record once.");
                continue;
            }

            seen[keyText] = row.Row;
            existing.TryGetValue(keyText, out var current);
            if (current is null && !row.Key.HasReference)
            {
                ledger.Error(row.Row, "id", "No agreement has this id; give an external reference (externalRef, or external_source and external_id) to create one.");
                continue;
            }

            if (current is { IsDeleted: true })
            {
                ledger.Error(row.Row, row.Key.HasReference ? "externalRef" : "id", AgreementErrors.Deleted.Message);
                continue;
            }

            var input = Merge(current, row);
            var partnerGiven = row.Fields is null || row.Fields.Contains("partner");
            if (partnerGiven && input.PartnerId is null && row.PartnerSlug is not null)
            {
                if (partnerBySlug.TryGetValue(row.PartnerSlug, out var bySlug))
                {
                    input = input with { PartnerId = bySlug };
                }
                else
                {
                    ledger.Error(row.Row, "partnerSlug", "No partner has this slug.");
                    continue;
                }
            }

            var parsed = AgreementFields.TryParseNew(input, isNew: current is null, out var fields, out var status, out var failures);
            foreach (var failure in failures)
            {
                ledger.Error(row.Row, failure.PropertyName, failure.ErrorMessage);
            }

            if (!parsed || ledger.Failed(row.Row))
            {
                continue;
            }

            if (!partnerIds.Contains(fields!.PartnerId))
            {
                ledger.Error(row.Row, "partnerId", AgreementErrors.PartnerNotFound.Message);
                continue;
            }

            try
            {
                var details = fields.ToDetails(vocabulary);
                if (current is null)
                {
                    var agreement = Agreement.Create(Guid.CreateVersion7(), details, status, today, now);
                    agreement.LinkExternalReference(reference!);
                    staged.Add((row, agreement, true, details));
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

                        ApplyUpdate(current, details, today, now, ledger, row.Row);
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

        // New agreements are written in signing order, so each is (usually) the latest of its date when it is inserted
        // and the running numbers' trigger has little or nothing to renumber after it.
        // The ids are handed out in that order too: EF writes a batch's inserts of one table in key order.
        var creates = staged.Where(s => s.Created).OrderBy(s => s.Agreement.SignedOn.Date).ThenBy(s => s.Row.Row).ToList();
        var ids = creates.Select(_ => Guid.CreateVersion7()).Order().ToList();
        for (var i = 0; i < creates.Count; i++)
        {
            var (row, first, _, details) = creates[i];
            var agreement = Agreement.Create(ids[i], details, first.Status == AgreementStatus.Draft ? AgreementStatus.Draft : AgreementStatus.Active, today, now);
            agreement.LinkExternalReference(first.ExternalRef!);
            creates[i] = (row, agreement, true, details);
        }

        // Per row: updates first, then the new ones in signing order.
        return await ImportWrites.WriteAsync(
            store, ledger, command.Mode, command.DryRun,
            [.. creates.Select(c => (c.Row.Row, c.Agreement))],
            staged.Where(s => !s.Created).Select(s => (s.Row.Row, s.Agreement, (Func<bool>)(() => ApplyUpdate(s.Agreement, s.Details, today, now, ledger, s.Row.Row)))),
            cancellationToken);
    }

    /// <summary>Replaces a stored agreement's details as the PUT by-ref does; false when nothing changed.</summary>
    private static bool ApplyUpdate(Agreement agreement, AgreementDetails details, DateOnly today, DateTimeOffset now, ImportLedger ledger, int row)
    {
        if (!agreement.Update(details, now))
        {
            ledger.Outcome(row, agreement.Id, "unchanged");
            return false;
        }

        agreement.ExpireIfEnded(today, now);
        ledger.Outcome(row, agreement.Id, "updated");
        return true;
    }

    /// <summary>The row's key as text (to find the stored agreement and repeats), and its external reference if it has one.</summary>
    private static bool TryKey(AgreementImportRow row, ImportLedger ledger, out string keyText, out ExternalReference? reference)
    {
        keyText = string.Empty;
        reference = null;
        if (row.Key.HasReference)
        {
            try
            {
                reference = ExternalReference.Create(row.Key.Source, row.Key.ExternalId);
                keyText = "ref:" + reference.Source + "\n" + reference.Id;
                return true;
            }
            catch (DomainException exception)
            {
                ledger.Error(row.Row, exception.Error.Field ?? "externalRef", exception.Error.Message);
                return false;
            }
        }

        if (row.Key.Id is { } id)
        {
            keyText = "id:" + id.ToString();
            return true;
        }

        ledger.Error(row.Row, "externalRef", "Each row names its agreement: an external reference (externalRef, or external_source and external_id; ?source= gives a default source), or the id of a stored agreement.");
        return false;
    }

    /// <summary>The stored agreements the rows name, not tracked, by key text (one query per 1,000 keys).</summary>
    private async Task<Dictionary<string, Agreement>> LoadExistingAsync(IReadOnlyList<AgreementImportRow> rows, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, Agreement>(StringComparer.Ordinal);
        var externalIds = rows.Where(r => r.Key.HasReference && r.Key.ExternalId is not null).Select(r => r.Key.ExternalId!).Distinct().ToList();
        foreach (var chunk in externalIds.Chunk(1_000))
        {
            var stored = await store.AgreementsByExternalIdAsync(chunk, cancellationToken);
            foreach (var agreement in stored)
            {
                found["ref:" + agreement.ExternalRef!.Source + "\n" + agreement.ExternalRef.Id] = agreement;
            }
        }

        var ids = rows.Where(r => !r.Key.HasReference && r.Key.Id is not null).Select(r => r.Key.Id!.Value).Distinct().ToList();
        foreach (var chunk in ids.Chunk(1_000))
        {
            var stored = await store.AgreementsByIdAsync(chunk, cancellationToken);
            foreach (var agreement in stored)
            {
                found["id:" + agreement.Id.ToString()] = agreement;
            }
        }

        return found;
    }

    /// <summary>
    /// The whole input of a row: a JSON line is a whole record; a CSV row gives the fields of its columns, the others
    /// keep the stored agreement's values (a new agreement's default: an MOU, scopes closed, no note).
    /// </summary>
    private static NewAgreementInput Merge(Agreement? stored, AgreementImportRow row)
    {
        if (row.Fields is not { } fields)
        {
            return row.Input;
        }

        var input = row.Input;
        var basis = stored?.ToInput() ?? new AgreementInput { Type = "mou", Cooperation = new CooperationInput([], false, null) };
        string? Pick(string field, string? given, string? kept) => fields.Contains(field) ? given : kept;

        var from = Pick("validity.from", input.Validity?.From, basis.Validity?.From);
        var until = basis.Validity?.Until;
        var termMonths = basis.Validity?.TermMonths;
        if (fields.Contains("validity.until"))
        {
            var storedUntil = stored?.Validity.Until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (input.Validity?.Until != storedUntil || termMonths is null)
            {
                // A new last day replaces a term in months; the same one keeps it.
                until = input.Validity?.Until;
                termMonths = null;
            }
        }

        return new NewAgreementInput
        {
            PartnerId = fields.Contains("partner") ? input.PartnerId : basis.PartnerId,
            Type = Pick("type", input.Type, basis.Type),
            Title = new BilingualTextDto(Pick("title.ja", input.Title?.Ja, basis.Title?.Ja)!, Pick("title.en", input.Title?.En, basis.Title?.En)),
            SignedOn = Pick("signedOn", input.SignedOn, basis.SignedOn),
            Validity = new ValidityInput(from, until, termMonths),
            Cooperation = new CooperationInput(
                fields.Contains("cooperation.scopes") ? input.Cooperation?.Scopes : basis.Cooperation?.Scopes,
                basis.Cooperation?.IsOpenEnded ?? false,
                basis.Cooperation?.Note),
            Signatories = basis.Signatories,
            SourceNote = basis.SourceNote,
            Status = input.Status,
        };
    }
}
