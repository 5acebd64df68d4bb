using FluentValidation.Results;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Dtos;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Agreements;

/// <summary>
/// An agreement input parsed (ADR 0044): every string that names a domain value (type, dates) is that value now, so
/// the commands and the mapping to <see cref="AgreementDetails"/> never read the strings again. The texts stay as sent:
/// the domain's value objects trim and check them when the details are built.
/// </summary>
/// <param name="PartnerId">The partner LINK-J signed with.</param>
/// <param name="Type">The kind of instrument.</param>
/// <param name="Title">The title, as sent.</param>
/// <param name="SignedOn">When it was signed, to the day or the month.</param>
/// <param name="ValidFrom">First day in force; null: the signing date.</param>
/// <param name="ValidUntil">Last day in force; null: open-ended or by the term.</param>
/// <param name="TermMonths">The term in months, if any.</param>
/// <param name="Cooperation">The cooperation, as sent.</param>
/// <param name="Signatories">Who signed, as sent.</param>
/// <param name="SourceNote">Where the values came from.</param>
public sealed record AgreementFields(
    Guid PartnerId,
    AgreementType Type,
    BilingualTextDto Title,
    PartialDate SignedOn,
    DateOnly? ValidFrom,
    DateOnly? ValidUntil,
    int? TermMonths,
    CooperationInput Cooperation,
    IReadOnlyList<SignatoryDto> Signatories,
    string? SourceNote)
{
    /// <summary>The message when a new agreement's status is neither draft nor active.</summary>
    public const string NewStatusMessage = "A new agreement is draft or active.";

    private static readonly AgreementInputValidator Shape = new();

    /// <summary>Checks the input's shape and parses its values in one pass; every failure is one 400 (a <see cref="FluentValidation.ValidationException"/>).</summary>
    public static AgreementFields Parse(AgreementInput input)
    {
        var parse = Begin(input, out var build);
        return parse.Result(build);
    }

    /// <summary>As <see cref="Parse"/> for a new agreement, with the status it starts in (active by default).</summary>
    public static (AgreementFields Fields, AgreementStatus Status) ParseNew(NewAgreementInput input)
    {
        var parse = Begin(input, out var build);
        var status = NewStatus(parse, input.Status);
        return parse.Result(() => (build(), status ?? AgreementStatus.Active));
    }

    /// <summary>As <see cref="ParseNew"/> without throwing: the failures by field, for an import's row.</summary>
    public static bool TryParseNew(NewAgreementInput input, bool isNew, out AgreementFields? fields, out AgreementStatus status, out IReadOnlyList<ValidationFailure> failures)
    {
        var parse = Begin(input, out var build);
        var wanted = isNew ? NewStatus(parse, input.Status) : null;
        status = wanted ?? AgreementStatus.Active;
        failures = parse.Failures;
        return parse.TryResult(build, out fields);
    }

    /// <summary>draft or active; null when none is given.</summary>
    private static AgreementStatus? NewStatus(WireParse parse, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (WireEnum.TryParse<AgreementStatus>(text, out var status) && status is AgreementStatus.Draft or AgreementStatus.Active)
        {
            return status;
        }

        parse.Fail("status", NewStatusMessage);
        return null;
    }

    private static WireParse Begin(AgreementInput input, out Func<AgreementFields> build)
    {
        var parse = new WireParse(Shape.Validate(input).Errors);
        var type = parse.Enum<AgreementType>("type", input.Type);
        var signedOn = parse.PartialDate("signedOn", input.SignedOn);
        var from = parse.Day("validity.from", input.Validity?.From);
        var until = parse.Day("validity.until", input.Validity?.Until);

        // Reached only when nothing failed: the shape validator has checked that the required members are there.
        build = () => new AgreementFields(
            input.PartnerId!.Value,
            type!.Value,
            input.Title!,
            signedOn!,
            from,
            until,
            input.Validity?.TermMonths,
            input.Cooperation!,
            input.Signatories ?? [],
            input.SourceNote);
        return parse;
    }
}
