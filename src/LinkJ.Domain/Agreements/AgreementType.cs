namespace LinkJ.Domain.Agreements;

/// <summary>The kind of instrument LINK-J signed.</summary>
public enum AgreementType
{
    /// <summary>A memorandum of understanding, 覚書 — every partnership of the 2020 release is one.</summary>
    Mou,

    /// <summary>A binding collaboration or partnership agreement, 協定.</summary>
    CollaborationAgreement,

    Other,
}
