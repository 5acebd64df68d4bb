using FluentValidation;
using LinkJ.Application.Common;
using LinkJ.Domain.Agreements;
using Mediator;

namespace LinkJ.Application.Agreements.Commands.TerminateAgreement;

/// <summary>Active → terminated, on a date and for a reason. Terminated is final.</summary>
/// <param name="Id">The agreement.</param>
/// <param name="ExpectedVersion">The version the client read (its If-Match).</param>
/// <param name="On">The termination date.</param>
/// <param name="Reason">Why it ended.</param>
public sealed record TerminateAgreementCommand(Guid Id, VersionCondition ExpectedVersion, DateOnly On, string Reason) : ICommand<AgreementDto>
{
    private static readonly Shape Validator = new();

    /// <summary>The command for a termination as sent (<paramref name="on"/> YYYY-MM-DD), parsed once; every failure is one 400.</summary>
    public static TerminateAgreementCommand Parse(Guid id, VersionCondition expectedVersion, string? on, string? reason)
    {
        var parse = new WireParse(Validator.Validate(new Sent(on, reason)).Errors);
        var day = parse.Day("on", on);
        if (on is null)
        {
            parse.Fail("on", WireParse.DayMessage);
        }

        return parse.Result(() => new TerminateAgreementCommand(id, expectedVersion, day!.Value, reason!));
    }

    private sealed record Sent(string? On, string? Reason);

    private sealed class Shape : AbstractValidator<Sent>
    {
        public Shape() => RuleFor(s => s.Reason).NotEmpty().MaximumLength(AgreementErrors.MaxNoteLength).OverridePropertyName("reason");
    }
}
