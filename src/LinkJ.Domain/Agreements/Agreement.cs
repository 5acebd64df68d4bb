using LinkJ.Domain.Common;

namespace LinkJ.Domain.Agreements;

/// <summary>
/// What LINK-J signed with a partner — in the 2020 release always a memorandum of understanding (覚書) —
/// with its cooperation scopes, signatories, validity and status.
/// </summary>
public sealed class Agreement : AggregateRoot
{
    private List<Signatory> _signatories = [];

    private Agreement()
    {
    }

    private Agreement(Guid id, DateTimeOffset now)
        : base(id, now)
    {
    }

    public Guid PartnerId { get; private set; }

    public AgreementType Type { get; private set; }

    public BilingualText Title { get; private set; } = null!;

    public PartialDate SignedOn { get; private set; } = null!;

    public Validity Validity { get; private set; } = null!;

    public Cooperation Cooperation { get; private set; } = null!;

    public IReadOnlyList<Signatory> Signatories => _signatories;

    /// <summary>Where values came from, e.g. the Kobe date the release's body gives as 2018年2月 and its table as 2018年1月.</summary>
    public string? SourceNote { get; private set; }

    public AgreementStatus Status { get; private set; }

    public DateOnly? TerminatedOn { get; private set; }

    public string? TerminationReason { get; private set; }

    /// <summary>The agreement this one renews or supersedes, if any.</summary>
    public Guid? SupersedesId { get; private set; }

    /// <summary>
    /// Whether the agreement counts as a partnership (LINK-J's "13例目"): it has a running number and is in the
    /// partnership statistics. A draft is not signed yet, a deleted agreement is gone, and a renewal continues the
    /// partnership it renews. The database holds the same rule once, in <c>linkj_counts_as_partnership</c>, which its
    /// triggers call; a test holds the two against each other.
    /// </summary>
    public bool CountsAsPartnership => Counts(Status, IsDeleted, SupersedesId is not null);

    /// <summary>The rule of <see cref="CountsAsPartnership"/> on its three inputs.</summary>
    public static bool Counts(AgreementStatus status, bool deleted, bool renewal) =>
        status != AgreementStatus.Draft && !deleted && !renewal;

    /// <summary>
    /// Creates an agreement as <see cref="AgreementStatus.Draft"/> or <see cref="AgreementStatus.Active"/>.
    /// An active agreement whose validity has already ended on <paramref name="today"/> is created as expired.
    /// </summary>
    public static Agreement Create(Guid id, AgreementDetails details, AgreementStatus status, DateOnly today, DateTimeOffset now, Guid? supersedesId = null)
    {
        Guard.That(status is AgreementStatus.Draft or AgreementStatus.Active, AgreementErrors.InvalidInitialStatus);
        var agreement = new Agreement(id, now) { Status = status, SupersedesId = supersedesId };
        agreement.Apply(details);
        if (status == AgreementStatus.Active && agreement.Validity.HasEndedBy(today))
        {
            agreement.Status = AgreementStatus.Expired;
        }

        return agreement;
    }

    /// <summary>Replaces the agreement's details; returns false (and keeps the version) when nothing changed.</summary>
    public bool Update(AgreementDetails details, DateTimeOffset now)
    {
        EnsureNotDeleted();
        details = Normalize(details);
        if (Describe() == details)
        {
            return false;
        }

        Apply(details);
        Touch(now);
        return true;
    }

    public AgreementDetails Describe() =>
        new(PartnerId, Type, Title, SignedOn, Validity, Cooperation, _signatories, SourceNote);

    /// <summary>Draft → active.</summary>
    public void Activate(DateOnly today, DateTimeOffset now)
    {
        MoveTo(AgreementStatus.Active, now);
        ExpireIfEnded(today, now);
    }

    /// <summary>Active → terminated, on a date and for a reason. Terminated is final.</summary>
    public void Terminate(DateOnly on, string reason, DateTimeOffset now)
    {
        var trimmedReason = Guard.OptionalText(reason, AgreementErrors.MaxNoteLength);
        Guard.That(trimmedReason is not null, AgreementErrors.TerminationReasonRequired);
        Guard.That(on >= SignedOn.Earliest, AgreementErrors.TerminationBeforeSigning);
        MoveTo(AgreementStatus.Terminated, now);
        TerminatedOn = on;
        TerminationReason = trimmedReason;
    }

    /// <summary>Active → expired once the validity has ended; returns whether it expired.</summary>
    public bool ExpireIfEnded(DateOnly today, DateTimeOffset now)
    {
        if (Status != AgreementStatus.Active || !Validity.HasEndedBy(today))
        {
            return false;
        }

        MoveTo(AgreementStatus.Expired, now);
        return true;
    }

    /// <summary>
    /// Records that <paramref name="successorId"/> renews or supersedes this agreement from <paramref name="from"/>:
    /// an active agreement is terminated then; an expired one stays expired. Drafts and terminated ones cannot be renewed.
    /// </summary>
    public void SupersedeBy(Guid successorId, DateOnly from, DateTimeOffset now)
    {
        EnsureNotDeleted();
        Guard.That(Status is AgreementStatus.Active or AgreementStatus.Expired, AgreementErrors.CannotRenew(Status));
        if (Status == AgreementStatus.Active)
        {
            Terminate(from, $"Superseded by agreement {successorId}.", now);
        }
    }

    /// <summary>
    /// Records that a document was added to or removed from the agreement: its documents are part of it, so the
    /// change bumps its version (which a write that names the version it read is checked against) and is an update in the change feed (ADR 0038).
    /// </summary>
    public void RecordDocumentChange(DateTimeOffset now)
    {
        EnsureNotDeleted();
        Touch(now);
    }

    public void Delete(DateTimeOffset now)
    {
        EnsureNotDeleted();
        MarkDeleted(now);
    }

    /// <summary>Whether the lifecycle allows going from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(AgreementStatus from, AgreementStatus to) => (from, to) switch
    {
        (AgreementStatus.Draft, AgreementStatus.Active) => true,
        (AgreementStatus.Active, AgreementStatus.Expired) => true,
        (AgreementStatus.Active, AgreementStatus.Terminated) => true,
        _ => false,
    };

    private void MoveTo(AgreementStatus target, DateTimeOffset now)
    {
        EnsureNotDeleted();
        Guard.That(CanMove(Status, target), AgreementErrors.InvalidTransition(Status, target));
        Status = target;
        Touch(now);
    }

    /// <summary>Checks every rule and trims texts, before anything is changed: a failed update leaves the agreement as it was.</summary>
    private static AgreementDetails Normalize(AgreementDetails details)
    {
        Guard.That(Enum.IsDefined(details.Type), AgreementErrors.UnknownType);
        Guard.That(details.Signatories.Count <= AgreementErrors.MaxSignatories, AgreementErrors.TooManySignatories);
        Guard.That(details.Validity.From >= details.SignedOn.Earliest, AgreementErrors.ValidityStartsBeforeSigning);
        return details with { SourceNote = Guard.OptionalText(details.SourceNote, AgreementErrors.MaxNoteLength) };
    }

    private void Apply(AgreementDetails details)
    {
        details = Normalize(details);

        PartnerId = details.PartnerId;
        Type = details.Type;
        Title = details.Title;
        SignedOn = details.SignedOn;
        Validity = details.Validity;
        Cooperation = details.Cooperation;
        _signatories = [.. details.Signatories];
        SourceNote = details.SourceNote;
    }

    private void EnsureNotDeleted() => Guard.That(!IsDeleted, AgreementErrors.Deleted);
}
