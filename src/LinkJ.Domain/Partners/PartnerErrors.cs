using LinkJ.Domain.Common;

namespace LinkJ.Domain.Partners;

/// <summary>The catalogue of partner errors; each code is stable.</summary>
public static class PartnerErrors
{
    public const int MaxShortNameLength = 40;
    public const int MaxFormerNames = 20;

    public static readonly Error NotFound =
        new("partner.not-found", "No partner has this id or slug.", ErrorKind.NotFound);

    public static readonly Error SlugTaken =
        new("partner.slug-taken", "Another partner already uses this slug.", ErrorKind.Conflict);

    public static readonly Error Deleted =
        new("partner.deleted", "The partner has been deleted.", ErrorKind.Conflict);

    public static readonly Error HasAgreements =
        new("partner.has-agreements", "The partner still has agreements; delete or move them first.", ErrorKind.Conflict);

    public static readonly Error TooManyFormerNames =
        new("partner.too-many-former-names", $"A partner may list at most {MaxFormerNames} former names.", ErrorKind.Validation);

    public static readonly Error UnknownKind =
        new("partner.unknown-kind", "Unknown partner kind.", ErrorKind.Validation);
}
