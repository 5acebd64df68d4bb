namespace LinkJ.Domain.Common;

/// <summary>Errors of the value objects shared by partners and agreements.</summary>
public static class CommonErrors
{
    public static readonly Error JapaneseTextRequired =
        new("text.ja-required", "A Japanese text is required.", ErrorKind.Validation);

    public static Error TextTooLong(int max) =>
        new("text.too-long", $"A text may have at most {max} characters.", ErrorKind.Validation);

    public static readonly Error TextHasControlCharacters =
        new("text.control-characters", "A text may not contain control characters.", ErrorKind.Validation);

    public static readonly Error InvalidCountryCode =
        new("country.invalid", "The country must be an ISO 3166-1 alpha-2 code such as JP, US, GB or FR.", ErrorKind.Validation);

    public static readonly Error InvalidSlug =
        new("slug.invalid", "A slug is 1-80 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.", ErrorKind.Validation);

    public static readonly Error InvalidPartialDate =
        new("date.invalid", "A date is written YYYY-MM-DD, or YYYY-MM when only the month is known.", ErrorKind.Validation);

    public static Error StaleVersion(int current) =>
        new("version.stale", $"The resource has changed since you read it; its current version is {current}. Read it again and retry.", ErrorKind.PreconditionFailed) { CurrentVersion = current };

    /// <summary>If-Match named a version of a record that does not exist (RFC 9110 13.1.1: the condition is false).</summary>
    public static readonly Error NothingToMatch =
        new("version.stale", "If-Match names a version, but no record has this reference: it may have been created elsewhere or never existed. Read it, or leave If-Match out to create it.", ErrorKind.PreconditionFailed);

    public static readonly Error ExternalReferenceTaken =
        new("external-ref.taken", "Another record already has this external reference.", ErrorKind.Conflict);

    public static readonly Error PreconditionRequired =
        new("precondition.required", "This write would change an existing record: send If-Match with the ETag you read.", ErrorKind.PreconditionRequired);

    public static readonly Error InvalidUrl =
        new("url.invalid", "A website must be an absolute http or https URL.", ErrorKind.Validation);
}
