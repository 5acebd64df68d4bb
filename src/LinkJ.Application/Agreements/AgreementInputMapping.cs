using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Dtos;
using LinkJ.Application.CooperationScopes;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Agreements;

/// <summary>Turns a validated input into the domain's <see cref="AgreementDetails"/>, checking what needs the database.</summary>
public static class AgreementInputMapping
{
    public static async Task<AgreementDetails> ToDetailsAsync(this AgreementInput input, IPartnerRepository partners, IAppDbContext db, CancellationToken cancellationToken)
    {
        if (!await partners.IsLiveAsync(input.PartnerId!.Value, cancellationToken))
        {
            throw new DomainException(AgreementErrors.PartnerNotFound.ForField("partnerId"));
        }

        return await input.ToDetailsOfLivePartnerAsync(db, cancellationToken);
    }

    /// <summary>
    /// As <see cref="ToDetailsAsync"/>, with the partner it names: what a create needs to show the new agreement without
    /// reading it back.
    /// </summary>
    public static async Task<(AgreementDetails Details, Partner Partner)> ToDetailsWithPartnerAsync(this AgreementInput input, IPartnerRepository partners, IAppDbContext db, CancellationToken cancellationToken)
    {
        var partner = await partners.ReadLiveAsync(input.PartnerId!.Value, cancellationToken)
            ?? throw new DomainException(AgreementErrors.PartnerNotFound.ForField("partnerId"));
        return (await input.ToDetailsOfLivePartnerAsync(db, cancellationToken), partner);
    }

    private static async Task<AgreementDetails> ToDetailsOfLivePartnerAsync(this AgreementInput input, IAppDbContext db, CancellationToken cancellationToken) =>
        input.ToDetails(await db.LoadVocabularyByCodeAsync(cancellationToken));

    /// <summary>
    /// As <see cref="ToDetailsAsync"/> for a partner the caller has found live, with the vocabulary already loaded: what
    /// an import does for each of its rows without a query per row.
    /// </summary>
    public static AgreementDetails ToDetails(this AgreementInput input, IReadOnlyDictionary<string, CooperationScopeDto> vocabulary)
    {
        var partnerId = input.PartnerId!.Value;
        var scopes = input.Cooperation!.Scopes!;
        if (!scopes.All(vocabulary.ContainsKey))
        {
            throw new DomainException(AgreementErrors.UnknownScope.ForField("cooperation.scopes"));
        }

        var signedOn = PartialDate.Parse(input.SignedOn);
        var from = input.Validity?.From is { } start ? PartialDate.Parse(start).Date : signedOn.Date;
        var until = input.Validity?.Until is { } end ? PartialDate.Parse(end).Date : (DateOnly?)null;
        WireEnum.TryParse<AgreementType>(input.Type, out var type);

        return new AgreementDetails(
            partnerId,
            type,
            input.Title!.ToDomain(),
            signedOn,
            Validity.Create(from, until, input.Validity?.TermMonths),
            Cooperation.Create(scopes, input.Cooperation.IsOpenEnded, input.Cooperation.Note),
            [.. (input.Signatories ?? []).Select(s => new Signatory(s.Name.ToDomain(), s.Title?.ToDomain(), s.Organisation?.ToDomain()))],
            input.SourceNote);
    }

    /// <summary>The agreement's details in the shape a client sends (what a merge patch applies to).</summary>
    public static AgreementInput ToInput(this Agreement agreement) => new()
    {
        PartnerId = agreement.PartnerId,
        Type = WireEnum.ToWire(agreement.Type),
        Title = agreement.Title.ToDto(),
        SignedOn = agreement.SignedOn.ToString(),
        Validity = new ValidityInput(
            agreement.Validity.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            agreement.Validity.TermMonths is null ? agreement.Validity.Until?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
            agreement.Validity.TermMonths),
        Cooperation = new CooperationInput(agreement.Cooperation.Scopes, agreement.Cooperation.IsOpenEnded, agreement.Cooperation.Note),
        Signatories = [.. agreement.Signatories.Select(s => new SignatoryDto(s.Name.ToDto(), s.Title?.ToDto(), s.Organisation?.ToDto()))],
        SourceNote = agreement.SourceNote,
    };

    public static BilingualText ToDomain(this BilingualTextDto text) => BilingualText.Create(text.Ja, text.En);
}
