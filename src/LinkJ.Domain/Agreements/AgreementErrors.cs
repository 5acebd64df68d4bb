using LinkJ.Domain.Common;

namespace LinkJ.Domain.Agreements;

/// <summary>The catalogue of agreement errors; each code is stable.</summary>
public static class AgreementErrors
{
    public const int MaxScopes = 30;
    public const int MaxSignatories = 30;
    public const int MaxNoteLength = 2000;

    public static readonly Error NotFound =
        new("agreement.not-found", "No agreement has this id.", ErrorKind.NotFound);

    public static readonly Error UnknownType =
        new("agreement.unknown-type", "Unknown agreement type.", ErrorKind.Validation);

    public static readonly Error ScopeRequired =
        new("agreement.scope-required", "An agreement needs at least one cooperation scope.", ErrorKind.Validation);

    public static readonly Error DuplicateScope =
        new("agreement.duplicate-scope", "A cooperation scope may be listed only once.", ErrorKind.Validation);

    public static readonly Error TooManyScopes =
        new("agreement.too-many-scopes", $"An agreement may list at most {MaxScopes} cooperation scopes.", ErrorKind.Validation);

    public static readonly Error TooManySignatories =
        new("agreement.too-many-signatories", $"An agreement may list at most {MaxSignatories} signatories.", ErrorKind.Validation);

    public static readonly Error UnknownScope =
        new("agreement.unknown-scope", "A cooperation scope is not in the vocabulary (see /api/v1/cooperation-scopes).", ErrorKind.BusinessRule);

    public static readonly Error PartnerNotFound =
        new("agreement.partner-not-found", "The agreement's partner does not exist.", ErrorKind.BusinessRule);

    public static readonly Error ValidityEndsBeforeStart =
        new("agreement.validity-ends-before-start", "The validity cannot end before it starts.", ErrorKind.Validation);

    public static readonly Error InvalidTerm =
        new("agreement.invalid-term", $"A term is 1 to {Validity.MaxTermMonths} months.", ErrorKind.Validation);

    public static readonly Error TermDisagreesWithEnd =
        new("agreement.term-disagrees-with-end", "The validity's end does not match its term.", ErrorKind.Validation);

    public static readonly Error ValidityStartsBeforeSigning =
        new("agreement.validity-before-signing", "The validity cannot start before the month of signing.", ErrorKind.Validation);

    public static readonly Error InvalidInitialStatus =
        new("agreement.invalid-initial-status", "A new agreement starts as draft or active.", ErrorKind.Validation);

    public static Error InvalidTransition(AgreementStatus from, AgreementStatus to) =>
        new("agreement.invalid-transition", $"An agreement cannot go from {from} to {to}.", ErrorKind.BusinessRule);

    public static Error CannotRenew(AgreementStatus status) =>
        new("agreement.cannot-renew", $"Only an active or expired agreement can be renewed; this one is {status}.", ErrorKind.BusinessRule);

    public static readonly Error TerminationBeforeSigning =
        new("agreement.termination-before-signing", "An agreement cannot be terminated before it was signed.", ErrorKind.Validation);

    public static readonly Error TerminationReasonRequired =
        new("agreement.termination-reason-required", "Terminating an agreement needs a reason.", ErrorKind.Validation);

    public static readonly Error Deleted =
        new("agreement.deleted", "The agreement has been deleted.", ErrorKind.Conflict);
}
