namespace LinkJ.Domain.Common;

/// <summary>Errors of the value objects shared by partners and agreements.</summary>
public static class CommonErrors
{
    public static readonly Error JapaneseTextRequired =
        new("text.ja-required", "A Japanese text is required.", ErrorKind.Validation);

    public static Error TextTooLong(int max) =>
        new("text.too-long", $"A text may have at most {max} characters.", ErrorKind.Validation);

    public static readonly Error TextHasControlCharacters =
        new("text.control-characters", "A text may not contain control characters nor Unicode noncharacters (U+FFFE, U+FDD0, ...).", ErrorKind.Validation);

    public static readonly Error InvalidCountryCode =
        new("country.invalid", "The country must be an ISO 3166-1 alpha-2 code such as JP, US, GB or FR.", ErrorKind.Validation);

    public static readonly Error InvalidSlug =
        new("slug.invalid", "A slug is 1-80 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.", ErrorKind.Validation);

    public static readonly Error InvalidPartialDate =
        new("date.invalid", "A date is written YYYY-MM-DD, or YYYY-MM when only the month is known.", ErrorKind.Validation);

    public static Error StaleVersion(int current) =>
        new("version.stale", $"The resource has changed since you read it; its current version is {current}. Read it again and retry.", ErrorKind.StaleVersion) { CurrentVersion = current };

    public static readonly Error ExternalReferenceTaken =
        new("external-ref.taken", "Another record already has this external reference.", ErrorKind.Conflict);

    /// <summary>A write names a version (any version) of a record that does not exist: its copy cannot be current.</summary>
    public static readonly Error NoCurrentVersion =
        new("version.none-current", "The write names a version, but there is no such record yet: the first write names none.", ErrorKind.StaleVersion);

    /// <summary>A write that would change an existing record names no version to check against.</summary>
    public static readonly Error VersionRequired =
        new("version.required", "This write would change an existing record: name the version you read.", ErrorKind.VersionRequired);

    public static readonly Error InvalidUrl =
        new("url.invalid", "A website must be an absolute http or https URL.", ErrorKind.Validation);
}
