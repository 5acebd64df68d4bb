using System.Globalization;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;

namespace LinkJ.Domain.Tests.Agreements;

public sealed class AgreementTests
{
    private static readonly Guid OsakaPartnerId = Guid.Parse("5d0c7a52-6b1e-4e5f-9a43-0a1f2b3c4d01");
    private static readonly Guid UclaPartnerId = Guid.Parse("5d0c7a52-6b1e-4e5f-9a43-0a1f2b3c4d02");
    private static readonly Guid KobePartnerId = Guid.Parse("5d0c7a52-6b1e-4e5f-9a43-0a1f2b3c4d03");
    private static readonly Guid AgreementId = Guid.Parse("a9e1c0de-0000-4000-8000-000000000013");

    private static readonly DateTimeOffset CreatedAt = new(2020, 9, 7, 10, 0, 0, TimeSpan.FromHours(9));
    private static readonly DateTimeOffset Later = CreatedAt.AddHours(1);
    private static readonly DateTimeOffset MuchLater = CreatedAt.AddDays(30);

    private static readonly DateOnly OsakaSigningDay = new(2020, 9, 7);
    private static readonly DateOnly UclaSigningDay = new(2019, 6, 3);
    private static readonly DateOnly UclaFirstDayAfter = new(2024, 6, 3);

    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Signatory Sawa() => new(
        BilingualText.Create("澤芳樹", "Yoshiki Sawa"),
        BilingualText.Create("副理事長", "Vice-Chair"),
        BilingualText.Create("一般社団法人ライフサイエンス・イノベーション・ネットワーク・ジャパン", "Life Science Innovation Network Japan"));

    private static Signatory Yamaguchi() => new(
        BilingualText.Create("山口信彦", "Nobuhiko Yamaguchi"),
        BilingualText.Create("副知事", "Vice-Governor"),
        BilingualText.Create("大阪府", "Osaka Prefecture"));

    private static Signatory Ueda() => new(
        BilingualText.Create("植田俊", "Shun Ueda"),
        BilingualText.Create("理事", "Director"),
        BilingualText.Create("一般社団法人ライフサイエンス・イノベーション・ネットワーク・ジャパン", "Life Science Innovation Network Japan"));

    /// <summary>The MOU of the 2020-09-07 release: LINK-J's 13th partnership, open-ended, signed to the day.</summary>
    private static AgreementDetails OsakaMou() => new(
        OsakaPartnerId,
        AgreementType.Mou,
        BilingualText.Create("ライフサイエンス領域に関する相互提携の覚書", "Memorandum of Understanding on Mutual Partnership in Life Sciences"),
        PartialDate.Parse("2020-09-07"),
        Validity.OpenEnded(OsakaSigningDay),
        Cooperation.Create(["event-cooperation", "publication-exchange", "cluster-collaboration"], isOpenEnded: true),
        [Sawa(), Yamaguchi(), Ueda()],
        null);

    /// <summary>UCLA's five-year MOU, signed 2019-06-03: in force until 2024-06-02.</summary>
    private static AgreementDetails UclaMou() => new(
        UclaPartnerId,
        AgreementType.Mou,
        BilingualText.Create("カリフォルニア大学ロサンゼルス校との覚書", "Memorandum of Understanding with UCLA"),
        PartialDate.Parse("2019-06-03"),
        Validity.ForTerm(UclaSigningDay, 60),
        Cooperation.Create(["publication-exchange", "joint-events", "nihonbashi-symposium"], isOpenEnded: true),
        [],
        null);

    /// <summary>The Kobe foundation's MOU, known only to the month, with the release's conflict noted.</summary>
    private static AgreementDetails KobeMou() => new(
        KobePartnerId,
        AgreementType.Mou,
        BilingualText.Create("公益財団法人先端医療振興財団との覚書"),
        PartialDate.Parse("2018-01"),
        Validity.OpenEnded(new DateOnly(2018, 1, 1)),
        Cooperation.Create(["event-cooperation", "publication-exchange", "mutual-visits"], isOpenEnded: true),
        [],
        "The release's body says 2018年2月, its table 2018年1月; the table's month is kept.");

    private static Agreement Create(AgreementDetails details, AgreementStatus status, DateOnly? today = null) =>
        Agreement.Create(AgreementId, details, status, today ?? OsakaSigningDay, CreatedAt);

    /// <summary>UCLA's agreement brought to <paramref name="status"/> through the lifecycle (today is 2020-09-07).</summary>
    private static Agreement UclaIn(AgreementStatus status)
    {
        switch (status)
        {
            case AgreementStatus.Draft:
                return Create(UclaMou(), AgreementStatus.Draft);
            case AgreementStatus.Active:
                return Create(UclaMou(), AgreementStatus.Active);
            case AgreementStatus.Expired:
                var expired = Create(UclaMou(), AgreementStatus.Active);
                Assert.True(expired.ExpireIfEnded(UclaFirstDayAfter, CreatedAt));
                return expired;
            case AgreementStatus.Terminated:
                var terminated = Create(UclaMou(), AgreementStatus.Active);
                terminated.Terminate(new DateOnly(2020, 3, 31), "双方の合意により終了", CreatedAt);
                return terminated;
            default:
                throw new ArgumentOutOfRangeException(nameof(status));
        }
    }

    private static List<Signatory> Signatories(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new Signatory(BilingualText.Create($"署名者{i}"), null, null))];

    // ---- Create ----

    [Fact]
    public void Create_WhenDraft_ShouldStartAtVersionOneWithTheDetails()
    {
        var details = OsakaMou();

        var agreement = Agreement.Create(AgreementId, details, AgreementStatus.Draft, OsakaSigningDay, CreatedAt);

        Assert.Equal(AgreementId, agreement.Id);
        Assert.Equal(AgreementStatus.Draft, agreement.Status);
        Assert.Equal(1, agreement.Version);
        Assert.Equal(CreatedAt, agreement.CreatedAt);
        Assert.Equal(CreatedAt, agreement.UpdatedAt);
        Assert.False(agreement.IsDeleted);
        Assert.Null(agreement.DeletedAt);
        Assert.Equal(OsakaPartnerId, agreement.PartnerId);
        Assert.Equal(AgreementType.Mou, agreement.Type);
        Assert.Equal("ライフサイエンス領域に関する相互提携の覚書", agreement.Title.Ja);
        Assert.Equal(PartialDate.OnDay(2020, 9, 7), agreement.SignedOn);
        Assert.Equal(Validity.OpenEnded(OsakaSigningDay), agreement.Validity);
        Assert.Equal(["event-cooperation", "publication-exchange", "cluster-collaboration"], agreement.Cooperation.Scopes);
        Assert.Equal([Sawa(), Yamaguchi(), Ueda()], agreement.Signatories);
        Assert.Null(agreement.SourceNote);
        Assert.Null(agreement.TerminatedOn);
        Assert.Null(agreement.TerminationReason);
        Assert.Null(agreement.SupersedesId);
        Assert.Equal(details, agreement.Describe());
    }

    [Theory]
    [InlineData("2019-06-03")] // the first day in force
    [InlineData("2020-09-07")]
    [InlineData("2024-06-02")] // the last day in force
    public void Create_WhenActiveAndValidityNotEnded_ShouldBeActive(string today)
    {
        var agreement = Create(UclaMou(), AgreementStatus.Active, Day(today));

        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.Equal(1, agreement.Version);
    }

    [Theory]
    [InlineData("2024-06-03")]
    [InlineData("2025-01-01")]
    public void Create_WhenActiveAndValidityAlreadyEnded_ShouldBeCreatedExpired(string today)
    {
        var agreement = Create(UclaMou(), AgreementStatus.Active, Day(today));

        Assert.Equal(AgreementStatus.Expired, agreement.Status);
        Assert.Equal(1, agreement.Version);
    }

    [Fact]
    public void Create_WhenDraftAndValidityAlreadyEnded_ShouldStayDraft()
    {
        var agreement = Create(UclaMou(), AgreementStatus.Draft, UclaFirstDayAfter);

        Assert.Equal(AgreementStatus.Draft, agreement.Status);
    }

    [Theory]
    [InlineData(AgreementStatus.Expired)]
    [InlineData(AgreementStatus.Terminated)]
    [InlineData((AgreementStatus)42)]
    public void Create_WhenInitialStatusIsNotDraftOrActive_ShouldThrowInvalidInitialStatus(AgreementStatus status)
    {
        var error = Assert.Throws<DomainException>(() => Create(OsakaMou(), status)).Error;

        Assert.Equal("agreement.invalid-initial-status", error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }

    [Fact]
    public void Create_WhenRenewingAnotherAgreement_ShouldKeepWhatItSupersedes()
    {
        var original = Create(UclaMou(), AgreementStatus.Active);
        var renewal = UclaMou() with
        {
            SignedOn = PartialDate.Parse("2024-06-03"),
            Validity = Validity.ForTerm(UclaFirstDayAfter, 60),
        };

        var agreement = Agreement.Create(Guid.NewGuid(), renewal, AgreementStatus.Active, UclaFirstDayAfter, MuchLater, original.Id);

        Assert.Equal(original.Id, agreement.SupersedesId);
        Assert.Equal(AgreementStatus.Active, agreement.Status);
    }

    [Theory]
    [InlineData("2020-09-07", "2020-09-06")] // the day before a day-precision signing
    [InlineData("2020-09-07", "2020-09-01")]
    [InlineData("2020-09", "2020-08-31")] // the day before a month-precision signing month
    [InlineData("2018-01", "2017-12-31")]
    [InlineData("2019-06-03", "2016-05-01")]
    public void Create_WhenValidityStartsBeforeSigning_ShouldThrowValidityBeforeSigning(string signedOn, string validFrom)
    {
        var details = OsakaMou() with { SignedOn = PartialDate.Parse(signedOn), Validity = Validity.OpenEnded(Day(validFrom)) };

        var code = Assert.Throws<DomainException>(() => Create(details, AgreementStatus.Draft)).Error.Code;

        Assert.Equal("agreement.validity-before-signing", code);
    }

    [Theory]
    [InlineData("2020-09-07", "2020-09-07")]
    [InlineData("2020-09-07", "2020-10-01")]
    [InlineData("2020-09", "2020-09-01")] // a month-precision signing allows the whole month
    [InlineData("2018-01", "2018-01-31")]
    public void Create_WhenValidityStartsOnOrAfterSigning_ShouldAccept(string signedOn, string validFrom)
    {
        var details = OsakaMou() with { SignedOn = PartialDate.Parse(signedOn), Validity = Validity.OpenEnded(Day(validFrom)) };

        var agreement = Create(details, AgreementStatus.Draft);

        Assert.Equal(Day(validFrom), agreement.Validity.From);
    }

    [Fact]
    public void Create_WhenMaxSignatories_ShouldAccept()
    {
        var details = OsakaMou() with { Signatories = Signatories(AgreementErrors.MaxSignatories) };

        var agreement = Create(details, AgreementStatus.Active);

        Assert.Equal(AgreementErrors.MaxSignatories, agreement.Signatories.Count);
    }

    [Fact]
    public void Create_WhenTooManySignatories_ShouldThrowTooManySignatories()
    {
        var details = OsakaMou() with { Signatories = Signatories(AgreementErrors.MaxSignatories + 1) };

        var code = Assert.Throws<DomainException>(() => Create(details, AgreementStatus.Active)).Error.Code;

        Assert.Equal("agreement.too-many-signatories", code);
    }

    [Theory]
    [InlineData((AgreementType)3)]
    [InlineData((AgreementType)(-1))]
    public void Create_WhenTypeUnknown_ShouldThrowUnknownType(AgreementType type)
    {
        var details = OsakaMou() with { Type = type };

        var code = Assert.Throws<DomainException>(() => Create(details, AgreementStatus.Active)).Error.Code;

        Assert.Equal("agreement.unknown-type", code);
    }

    [Theory]
    [InlineData(AgreementType.Mou)]
    [InlineData(AgreementType.CollaborationAgreement)]
    [InlineData(AgreementType.Other)]
    public void Create_WhenTypeKnown_ShouldKeepIt(AgreementType type)
    {
        var agreement = Create(OsakaMou() with { Type = type }, AgreementStatus.Active);

        Assert.Equal(type, agreement.Type);
    }

    [Fact]
    public void Create_WhenSourceNoteHasSurroundingWhitespace_ShouldTrimIt()
    {
        var details = KobeMou() with { SourceNote = "  本文は2018年2月、表は2018年1月。\n" };

        var agreement = Create(details, AgreementStatus.Active);

        Assert.Equal("本文は2018年2月、表は2018年1月。", agreement.SourceNote);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_WhenSourceNoteBlank_ShouldStoreNull(string note)
    {
        var agreement = Create(KobeMou() with { SourceNote = note }, AgreementStatus.Active);

        Assert.Null(agreement.SourceNote);
    }

    [Fact]
    public void Create_WhenSourceNoteTooLong_ShouldThrowTextTooLong()
    {
        var details = KobeMou() with { SourceNote = new string('注', AgreementErrors.MaxNoteLength + 1) };

        var code = Assert.Throws<DomainException>(() => Create(details, AgreementStatus.Active)).Error.Code;

        Assert.Equal("text.too-long", code);
    }

    [Fact]
    public void Create_WhenSourceNoteHasControlCharacter_ShouldThrowTextControlCharacters()
    {
        var details = KobeMou() with { SourceNote = "2018年1月\u0007" };

        var code = Assert.Throws<DomainException>(() => Create(details, AgreementStatus.Active)).Error.Code;

        Assert.Equal("text.control-characters", code);
    }

    [Fact]
    public void Create_WhenSignatoryListChangesAfterwards_ShouldKeepItsOwnCopy()
    {
        var signatories = new List<Signatory> { Sawa(), Yamaguchi() };
        var agreement = Create(OsakaMou() with { Signatories = signatories }, AgreementStatus.Active);

        signatories.Add(Ueda());

        Assert.Equal([Sawa(), Yamaguchi()], agreement.Signatories);
    }

    // ---- The lifecycle: allowed transitions ----

    [Fact]
    public void Activate_WhenDraft_ShouldBecomeActiveAndBumpVersionByOne()
    {
        var agreement = Create(OsakaMou(), AgreementStatus.Draft);

        agreement.Activate(OsakaSigningDay, Later);

        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.Equal(2, agreement.Version);
        Assert.Equal(Later, agreement.UpdatedAt);
        Assert.Equal(CreatedAt, agreement.CreatedAt);
    }

    [Fact]
    public void Activate_WhenDraftValidityHasAlreadyEnded_ShouldEndExpired()
    {
        var agreement = Create(UclaMou(), AgreementStatus.Draft);

        agreement.Activate(UclaFirstDayAfter, Later);

        Assert.Equal(AgreementStatus.Expired, agreement.Status);
    }

    [Fact]
    public void ExpireIfEnded_WhenActiveAndValidityEnded_ShouldExpireAndBumpVersionByOne()
    {
        var agreement = Create(UclaMou(), AgreementStatus.Active);

        var expired = agreement.ExpireIfEnded(UclaFirstDayAfter, Later);

        Assert.True(expired);
        Assert.Equal(AgreementStatus.Expired, agreement.Status);
        Assert.Equal(2, agreement.Version);
        Assert.Equal(Later, agreement.UpdatedAt);
    }

    [Theory]
    [InlineData("2020-09-07")]
    [InlineData("2024-06-02")] // the last day in force
    public void ExpireIfEnded_WhenActiveAndValidityNotEnded_ShouldReturnFalseAndChangeNothing(string today)
    {
        var agreement = Create(UclaMou(), AgreementStatus.Active);

        var expired = agreement.ExpireIfEnded(Day(today), Later);

        Assert.False(expired);
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.Equal(1, agreement.Version);
        Assert.Equal(CreatedAt, agreement.UpdatedAt);
    }

    [Fact]
    public void ExpireIfEnded_WhenOpenEnded_ShouldNeverExpire()
    {
        var agreement = Create(OsakaMou(), AgreementStatus.Active);

        Assert.False(agreement.ExpireIfEnded(new DateOnly(2200, 12, 31), Later));
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.Equal(1, agreement.Version);
    }

    [Theory]
    [InlineData(AgreementStatus.Draft)]
    [InlineData(AgreementStatus.Expired)]
    [InlineData(AgreementStatus.Terminated)] // terminated is final: it does not expire
    public void ExpireIfEnded_WhenNotActive_ShouldReturnFalseAndChangeNothing(AgreementStatus status)
    {
        var agreement = UclaIn(status);
        var version = agreement.Version;

        var expired = agreement.ExpireIfEnded(new DateOnly(2030, 1, 1), MuchLater);

        Assert.False(expired);
        Assert.Equal(status, agreement.Status);
        Assert.Equal(version, agreement.Version);
    }

    [Fact]
    public void Terminate_WhenActive_ShouldBecomeTerminatedWithDateAndTrimmedReason()
    {
        var agreement = Create(UclaMou(), AgreementStatus.Active);

        agreement.Terminate(new DateOnly(2022, 3, 31), "  双方の合意により終了 / ended by mutual consent \n", Later);

        Assert.Equal(AgreementStatus.Terminated, agreement.Status);
        Assert.Equal(new DateOnly(2022, 3, 31), agreement.TerminatedOn);
        Assert.Equal("双方の合意により終了 / ended by mutual consent", agreement.TerminationReason);
        Assert.Equal(2, agreement.Version);
        Assert.Equal(Later, agreement.UpdatedAt);
    }

    [Fact]
    public void Terminate_WhenOnTheSigningDay_ShouldAccept()
    {
        var agreement = Create(UclaMou(), AgreementStatus.Active);

        agreement.Terminate(UclaSigningDay, "signed in error", Later);

        Assert.Equal(AgreementStatus.Terminated, agreement.Status);
        Assert.Equal(UclaSigningDay, agreement.TerminatedOn);
    }

    [Fact]
    public void Terminate_WhenOnTheFirstDayOfAMonthPrecisionSigning_ShouldAccept()
    {
        var agreement = Create(KobeMou(), AgreementStatus.Active);

        agreement.Terminate(new DateOnly(2018, 1, 1), "superseded", Later);

        Assert.Equal(AgreementStatus.Terminated, agreement.Status);
    }

    // ---- The lifecycle: forbidden transitions ----

    [Theory]
    [InlineData(AgreementStatus.Active)] // active → active
    [InlineData(AgreementStatus.Expired)] // expired → active
    [InlineData(AgreementStatus.Terminated)] // terminated is final
    public void Activate_WhenNotDraft_ShouldThrowInvalidTransitionAndChangeNothing(AgreementStatus status)
    {
        var agreement = UclaIn(status);
        var version = agreement.Version;

        var error = Assert.Throws<DomainException>(() => agreement.Activate(OsakaSigningDay, MuchLater)).Error;

        Assert.Equal("agreement.invalid-transition", error.Code);
        Assert.Equal(ErrorKind.BusinessRule, error.Kind);
        Assert.Equal(status, agreement.Status);
        Assert.Equal(version, agreement.Version);
    }

    [Theory]
    [InlineData(AgreementStatus.Draft)] // draft → terminated
    [InlineData(AgreementStatus.Expired)]
    [InlineData(AgreementStatus.Terminated)] // terminated is final
    public void Terminate_WhenNotActive_ShouldThrowInvalidTransitionAndChangeNothing(AgreementStatus status)
    {
        var agreement = UclaIn(status);
        var version = agreement.Version;
        var terminatedOn = agreement.TerminatedOn;
        var reason = agreement.TerminationReason;

        var error = Assert.Throws<DomainException>(() => agreement.Terminate(new DateOnly(2021, 1, 1), "another reason", MuchLater)).Error;

        Assert.Equal("agreement.invalid-transition", error.Code);
        Assert.Equal(ErrorKind.BusinessRule, error.Kind);
        Assert.Equal(status, agreement.Status);
        Assert.Equal(version, agreement.Version);
        Assert.Equal(terminatedOn, agreement.TerminatedOn);
        Assert.Equal(reason, agreement.TerminationReason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t")]
    public void Terminate_WhenReasonBlank_ShouldThrowTerminationReasonRequired(string? reason)
    {
        var agreement = Create(UclaMou(), AgreementStatus.Active);

        var code = Assert.Throws<DomainException>(() => agreement.Terminate(new DateOnly(2022, 3, 31), reason!, Later)).Error.Code;

        Assert.Equal("agreement.termination-reason-required", code);
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.Equal(1, agreement.Version);
        Assert.Null(agreement.TerminatedOn);
    }

    [Fact]
    public void Terminate_WhenReasonTooLong_ShouldThrowTextTooLong()
    {
        var agreement = Create(UclaMou(), AgreementStatus.Active);
        var reason = new string('理', AgreementErrors.MaxNoteLength + 1);

        var code = Assert.Throws<DomainException>(() => agreement.Terminate(new DateOnly(2022, 3, 31), reason, Later)).Error.Code;

        Assert.Equal("text.too-long", code);
        Assert.Equal(AgreementStatus.Active, agreement.Status);
    }

    [Fact]
    public void Terminate_WhenReasonHasControlCharacter_ShouldThrowTextControlCharacters()
    {
        var agreement = Create(UclaMou(), AgreementStatus.Active);

        var code = Assert.Throws<DomainException>(() => agreement.Terminate(new DateOnly(2022, 3, 31), "終了\u001b", Later)).Error.Code;

        Assert.Equal("text.control-characters", code);
        Assert.Equal(AgreementStatus.Active, agreement.Status);
    }

    [Theory]
    [InlineData("2019-06-02")] // the day before UCLA's signing day
    [InlineData("2016-05-01")]
    public void Terminate_WhenDateBeforeSigning_ShouldThrowTerminationBeforeSigning(string on)
    {
        var agreement = Create(UclaMou(), AgreementStatus.Active);

        var code = Assert.Throws<DomainException>(() => agreement.Terminate(Day(on), "signed in error", Later)).Error.Code;

        Assert.Equal("agreement.termination-before-signing", code);
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.Equal(1, agreement.Version);
    }

    [Fact]
    public void Terminate_WhenDateBeforeAMonthPrecisionSigningMonth_ShouldThrowTerminationBeforeSigning()
    {
        var agreement = Create(KobeMou(), AgreementStatus.Active);

        var code = Assert.Throws<DomainException>(() => agreement.Terminate(new DateOnly(2017, 12, 31), "superseded", Later)).Error.Code;

        Assert.Equal("agreement.termination-before-signing", code);
    }

    [Theory]
    [InlineData(AgreementStatus.Draft, AgreementStatus.Draft, false)]
    [InlineData(AgreementStatus.Draft, AgreementStatus.Active, true)]
    [InlineData(AgreementStatus.Draft, AgreementStatus.Expired, false)]
    [InlineData(AgreementStatus.Draft, AgreementStatus.Terminated, false)]
    [InlineData(AgreementStatus.Active, AgreementStatus.Draft, false)]
    [InlineData(AgreementStatus.Active, AgreementStatus.Active, false)]
    [InlineData(AgreementStatus.Active, AgreementStatus.Expired, true)]
    [InlineData(AgreementStatus.Active, AgreementStatus.Terminated, true)]
    [InlineData(AgreementStatus.Expired, AgreementStatus.Draft, false)]
    [InlineData(AgreementStatus.Expired, AgreementStatus.Active, false)]
    [InlineData(AgreementStatus.Expired, AgreementStatus.Expired, false)]
    [InlineData(AgreementStatus.Expired, AgreementStatus.Terminated, false)]
    [InlineData(AgreementStatus.Terminated, AgreementStatus.Draft, false)]
    [InlineData(AgreementStatus.Terminated, AgreementStatus.Active, false)]
    [InlineData(AgreementStatus.Terminated, AgreementStatus.Expired, false)]
    [InlineData(AgreementStatus.Terminated, AgreementStatus.Terminated, false)]
    public void CanMove_WhenAskedAboutAPair_ShouldAllowOnlyTheLifecycleEdges(AgreementStatus from, AgreementStatus to, bool expected)
    {
        Assert.Equal(expected, Agreement.CanMove(from, to));
    }

    // ---- Update and version ----

    [Fact]
    public void Update_WhenDetailsIdentical_ShouldReturnFalseAndKeepVersion()
    {
        var agreement = Create(OsakaMou(), AgreementStatus.Active);

        var changed = agreement.Update(OsakaMou(), Later);

        Assert.False(changed);
        Assert.Equal(1, agreement.Version);
        Assert.Equal(CreatedAt, agreement.UpdatedAt);
    }

    [Fact]
    public void Update_WhenGivenItsOwnDescription_ShouldReturnFalseAndKeepVersion()
    {
        var agreement = Create(KobeMou(), AgreementStatus.Active);

        Assert.False(agreement.Update(agreement.Describe(), Later));
        Assert.Equal(1, agreement.Version);
    }

    [Theory]
    [InlineData("partner")]
    [InlineData("type")]
    [InlineData("title")]
    [InlineData("signedOn")]
    [InlineData("validity")]
    [InlineData("cooperation")]
    [InlineData("cooperationOpenEnded")]
    [InlineData("signatories")]
    [InlineData("signatoryTitle")]
    [InlineData("sourceNote")]
    public void Update_WhenOneFieldChanges_ShouldReturnTrueApplyItAndBumpVersionByOne(string field)
    {
        var agreement = Create(OsakaMou(), AgreementStatus.Active);
        var original = OsakaMou();
        var details = field switch
        {
            "partner" => original with { PartnerId = UclaPartnerId },
            "type" => original with { Type = AgreementType.CollaborationAgreement },
            "title" => original with { Title = BilingualText.Create("ライフサイエンス領域に関する相互提携の覚書", "MOU on Life Sciences") },
            "signedOn" => original with { SignedOn = PartialDate.Parse("2020-09") },
            "validity" => original with { Validity = Validity.ForTerm(OsakaSigningDay, 60) },
            "cooperation" => original with { Cooperation = Cooperation.Create(["event-cooperation", "publication-exchange"], isOpenEnded: true) },
            "cooperationOpenEnded" => original with { Cooperation = Cooperation.Create(["event-cooperation", "publication-exchange", "cluster-collaboration"]) },
            "signatories" => original with { Signatories = [Sawa(), Yamaguchi()] },
            "signatoryTitle" => original with { Signatories = [Sawa(), Yamaguchi() with { Title = BilingualText.Create("知事", "Governor") }, Ueda()] },
            "sourceNote" => original with { SourceNote = "Day from the release's text (9月7日), month from its table." },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var changed = agreement.Update(details, Later);

        Assert.True(changed);
        Assert.Equal(2, agreement.Version);
        Assert.Equal(Later, agreement.UpdatedAt);
        Assert.Equal(details, agreement.Describe());
        Assert.NotEqual(original, agreement.Describe());
    }

    [Fact]
    public void Update_WhenValidityStartsBeforeSigning_ShouldThrowAndKeepAgreement()
    {
        var agreement = Create(OsakaMou(), AgreementStatus.Active);
        var details = OsakaMou() with { Validity = Validity.OpenEnded(new DateOnly(2020, 8, 31)) };

        var code = Assert.Throws<DomainException>(() => agreement.Update(details, Later)).Error.Code;

        Assert.Equal("agreement.validity-before-signing", code);
        Assert.Equal(1, agreement.Version);
        Assert.Equal(OsakaMou(), agreement.Describe());
    }

    [Fact]
    public void Update_WhenTooManySignatories_ShouldThrowAndKeepAgreement()
    {
        var agreement = Create(OsakaMou(), AgreementStatus.Active);
        var details = OsakaMou() with { Signatories = Signatories(AgreementErrors.MaxSignatories + 1) };

        var code = Assert.Throws<DomainException>(() => agreement.Update(details, Later)).Error.Code;

        Assert.Equal("agreement.too-many-signatories", code);
        Assert.Equal(1, agreement.Version);
        Assert.Equal(3, agreement.Signatories.Count);
    }

    [Fact]
    public void Update_WhenSourceNoteInvalid_ShouldThrowAndKeepAgreement()
    {
        var agreement = Create(OsakaMou(), AgreementStatus.Active);
        var details = OsakaMou() with
        {
            Title = BilingualText.Create("改題された覚書"),
            SourceNote = new string('注', AgreementErrors.MaxNoteLength + 1),
        };

        var code = Assert.Throws<DomainException>(() => agreement.Update(details, Later)).Error.Code;

        Assert.Equal("text.too-long", code);
        Assert.Equal(OsakaMou(), agreement.Describe());
    }

    [Fact]
    public void Update_WhenSameDetailsWithUntrimmedSourceNoteSentAgain_ShouldReturnFalseAndKeepVersion()
    {
        var agreement = Create(KobeMou(), AgreementStatus.Active);
        var details = KobeMou() with { SourceNote = " 2018年1月 (table) " };
        Assert.True(agreement.Update(details, Later));

        var changedAgain = agreement.Update(details, MuchLater);

        Assert.False(changedAgain);
        Assert.Equal(2, agreement.Version);
    }

    [Fact]
    public void Version_WhenEachChangeApplied_ShouldGrowByExactlyOne()
    {
        var agreement = Create(OsakaMou(), AgreementStatus.Draft);
        Assert.Equal(1, agreement.Version);

        Assert.True(agreement.Update(OsakaMou() with { SourceNote = "Day from the release's text." }, CreatedAt.AddMinutes(1)));
        Assert.Equal(2, agreement.Version);

        Assert.False(agreement.Update(agreement.Describe(), CreatedAt.AddMinutes(2)));
        Assert.Equal(2, agreement.Version);

        agreement.Activate(OsakaSigningDay, CreatedAt.AddMinutes(3));
        Assert.Equal(3, agreement.Version);

        Assert.False(agreement.ExpireIfEnded(OsakaSigningDay, CreatedAt.AddMinutes(4)));
        Assert.Equal(3, agreement.Version);

        agreement.Terminate(new DateOnly(2023, 3, 31), "LINK-J WEST reorganised", CreatedAt.AddMinutes(5));
        Assert.Equal(4, agreement.Version);

        agreement.Delete(CreatedAt.AddMinutes(6));
        Assert.Equal(5, agreement.Version);
        Assert.Equal(CreatedAt.AddMinutes(6), agreement.UpdatedAt);
        Assert.Equal(CreatedAt, agreement.CreatedAt);
    }

    // ---- Delete ----

    [Fact]
    public void Delete_WhenNotDeleted_ShouldLeaveATombstoneAndBumpVersion()
    {
        var agreement = Create(OsakaMou(), AgreementStatus.Active);

        agreement.Delete(Later);

        Assert.True(agreement.IsDeleted);
        Assert.Equal(Later, agreement.DeletedAt);
        Assert.Equal(Later, agreement.UpdatedAt);
        Assert.Equal(2, agreement.Version);
        Assert.Equal(AgreementStatus.Active, agreement.Status);
        Assert.Equal(OsakaMou(), agreement.Describe());
    }

    [Theory]
    [InlineData("update")]
    [InlineData("updateIdentical")]
    [InlineData("activate")]
    [InlineData("terminate")]
    [InlineData("expire")]
    [InlineData("delete")]
    public void AnyChange_WhenDeleted_ShouldThrowAgreementDeletedAndChangeNothing(string change)
    {
        var agreement = change == "activate" ? Create(UclaMou(), AgreementStatus.Draft) : Create(UclaMou(), AgreementStatus.Active);
        var status = agreement.Status;
        agreement.Delete(Later);
        Action act = change switch
        {
            "update" => () => agreement.Update(UclaMou() with { SourceNote = "renewal under discussion" }, MuchLater),
            "updateIdentical" => () => agreement.Update(UclaMou(), MuchLater),
            "activate" => () => agreement.Activate(OsakaSigningDay, MuchLater),
            "terminate" => () => agreement.Terminate(new DateOnly(2022, 3, 31), "ended by mutual consent", MuchLater),
            "expire" => () => agreement.ExpireIfEnded(UclaFirstDayAfter, MuchLater),
            "delete" => () => agreement.Delete(MuchLater),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        var error = Assert.Throws<DomainException>(act).Error;

        Assert.Equal("agreement.deleted", error.Code);
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal(2, agreement.Version);
        Assert.Equal(status, agreement.Status);
        Assert.Equal(Later, agreement.DeletedAt);
        Assert.Equal(UclaMou(), agreement.Describe());
    }

    [Fact]
    public void Describe_WhenCreated_ShouldRoundTripTheDetails()
    {
        var agreement = Create(KobeMou(), AgreementStatus.Active);

        var described = agreement.Describe();

        Assert.Equal(KobeMou(), described);
        Assert.Equal(KobeMou().GetHashCode(), described.GetHashCode());
    }
}
