using LinkJ.Application.Abstractions;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Dtos;
using LinkJ.Application.CooperationScopes;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Agreements;

/// <summary>Turns a parsed input (<see cref="AgreementFields"/>) into the domain's <see cref="AgreementDetails"/>, checking what needs the database.</summary>
public static class AgreementInputMapping
{
    public static async Task<AgreementDetails> ToDetailsAsync(this AgreementFields input, IPartnerRepository partners, IAppDbContext db, CancellationToken cancellationToken)
    {
        if (!await partners.IsLiveAsync(input.PartnerId, cancellationToken))
        {
            throw new DomainException(AgreementErrors.PartnerNotFound.ForField("partnerId"));
        }

        return await input.ToDetailsOfLivePartnerAsync(db, cancellationToken);
    }

    /// <summary>
    /// As <see cref="ToDetailsAsync"/>, with the partner it names: what a create needs to show the new agreement without
    /// reading it back.
    /// </summary>
    public static async Task<(AgreementDetails Details, Partner Partner)> ToDetailsWithPartnerAsync(this AgreementFields input, IPartnerRepository partners, IAppDbContext db, CancellationToken cancellationToken)
    {
        var partner = await partners.ReadLiveAsync(input.PartnerId, cancellationToken)
            ?? throw new DomainException(AgreementErrors.PartnerNotFound.ForField("partnerId"));
        return (await input.ToDetailsOfLivePartnerAsync(db, cancellationToken), partner);
    }

    private static async Task<AgreementDetails> ToDetailsOfLivePartnerAsync(this AgreementFields input, IAppDbContext db, CancellationToken cancellationToken) =>
        input.ToDetails(await db.LoadVocabularyByCodeAsync(cancellationToken));

    /// <summary>
    /// As <see cref="ToDetailsAsync"/> for a partner the caller has found live, with the vocabulary already loaded: what
    /// an import does for each of its rows without a query per row.
    /// </summary>
    public static AgreementDetails ToDetails(this AgreementFields input, IReadOnlyDictionary<string, CooperationScopeDto> vocabulary)
    {
        var scopes = input.Cooperation.Scopes!;
        if (!scopes.All(vocabulary.ContainsKey))
        {
            throw new DomainException(AgreementErrors.UnknownScope.ForField("cooperation.scopes"));
        }

        return new AgreementDetails(
            input.PartnerId,
            input.Type,
            input.Title.ToDomain(),
            input.SignedOn,
            Validity.Create(input.ValidFrom ?? input.SignedOn.Date, input.ValidUntil, input.TermMonths),
            Cooperation.Create(scopes, input.Cooperation.IsOpenEnded, input.Cooperation.Note),
            [.. input.Signatories.Select(s => new Signatory(s.Name.ToDomain(), s.Title?.ToDomain(), s.Organisation?.ToDomain()))],
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
