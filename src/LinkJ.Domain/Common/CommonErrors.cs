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
        new("version.stale", $"The resource has changed since you read it; its current version is {current}. Read it again and retry.", ErrorKind.PreconditionFailed) { CurrentVersion = current };

    public static readonly Error ExternalReferenceTaken =
        new("external-ref.taken", "Another record already has this external reference.", ErrorKind.Conflict);

    /// <summary>If-Match (a version, a list or *) on a record that does not exist: the condition is false (RFC 9110 §13.1.1).</summary>
    public static readonly Error NoCurrentVersion =
        new("precondition.no-current-version", "If-Match names a version, but there is no such record yet: send the first call without If-Match.", ErrorKind.PreconditionFailed);

    public static readonly Error PreconditionRequired =
        new("precondition.required", "This write would change an existing record: send If-Match with the ETag you read.", ErrorKind.PreconditionRequired);

    public static readonly Error InvalidUrl =
        new("url.invalid", "A website must be an absolute http or https URL.", ErrorKind.Validation);
}
