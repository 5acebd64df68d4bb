using FluentValidation;
using FluentValidation.Results;
using System.Globalization;
using LinkJ.Application.Common.Paging;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Common;

/// <summary>
/// Turns the strings of a wire input (as the JSON or the merge patch arrives) into domain values, once (ADR 0044):
/// each value that does not parse adds a failure for its field, with the message the 400 problem shows, to the
/// failures of the input's shape validator, so that one 400 names every field that is wrong. A null text is not
/// parsed (whether a field is required is the shape validator's concern) and gives null.
/// </summary>
public sealed class WireParse
{
    /// <summary>The message for a field that must be a day, not a month.</summary>
    public const string DayMessage = "Must be a date YYYY-MM-DD.";

    private readonly List<ValidationFailure> _failures;

    public WireParse(IEnumerable<ValidationFailure> shapeFailures) => _failures = [.. shapeFailures];

    public IReadOnlyList<ValidationFailure> Failures => _failures;

    public bool Failed => _failures.Count > 0;

    public void Fail(string field, string message) => _failures.Add(new ValidationFailure(field, message));

    /// <summary>A kebab-case enum name (<c>local-government</c>).</summary>
    public TEnum? Enum<TEnum>(string field, string? text)
        where TEnum : struct, Enum
    {
        if (text is null)
        {
            return null;
        }

        if (WireEnum.TryParse<TEnum>(text, out var value))
        {
            return value;
        }

        Fail(field, $"Must be one of: {WireEnum.Allowed<TEnum>()}.");
        return null;
    }

    /// <summary><c>YYYY-MM-DD</c> or <c>YYYY-MM</c>.</summary>
    public PartialDate? PartialDate(string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (Domain.Common.PartialDate.TryParse(text, out var date))
        {
            return date;
        }

        Fail(field, CommonErrors.InvalidPartialDate.Message);
        return null;
    }

    /// <summary><c>YYYY-MM-DD</c>, within the years a <see cref="Domain.Common.PartialDate"/> allows.</summary>
    public DateOnly? Day(string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (Domain.Common.PartialDate.TryParse(text, out var date) && date.Precision == DatePrecision.Day)
        {
            return date.Date;
        }

        Fail(field, DayMessage);
        return null;
    }

    /// <summary>An ISO 3166-1 alpha-2 code, either case.</summary>
    public CountryCode? Country(string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (CountryCode.IsValid(text))
        {
            return CountryCode.Create(text);
        }

        Fail(field, CommonErrors.InvalidCountryCode.Message);
        return null;
    }

    /// <summary>A slug; <paramref name="message"/> says what the field's slug is (the slug's own rule by default).</summary>
    public Slug? Slug(string field, string? text, string? message = null)
    {
        if (text is null)
        {
            return null;
        }

        if (Domain.Common.Slug.IsValid(text))
        {
            return Domain.Common.Slug.Create(text);
        }

        Fail(field, message ?? CommonErrors.InvalidSlug.Message);
        return null;
    }

    /// <summary>A search text (<see cref="Common.Search.IsValid"/>), normalised once into the <see cref="SearchTerm"/> the reads take (ADR 0054).</summary>
    public SearchTerm? Search(string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (Common.Search.IsValid(text))
        {
            return SearchTerm.Of(text);
        }

        Fail(field, Common.Search.Message(field));
        return null;
    }

    /// <summary>An absolute http or https URL.</summary>
    public Uri? Url(string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        Fail(field, CommonErrors.InvalidUrl.Message);
        return null;
    }

    /// <summary>One of <paramref name="allowed"/>, written exactly so (a sort order): its index in the list.</summary>
    public int? OneOf(string field, string? text, IReadOnlyList<string> allowed)
    {
        if (text is null)
        {
            return null;
        }

        for (var i = 0; i < allowed.Count; i++)
        {
            if (string.Equals(allowed[i], text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        Fail(field, $"Must be one of: {string.Join(", ", allowed)}.");
        return null;
    }

    /// <summary>An ISO 8601 duration of whole days, weeks, months or years (<see cref="Domain.Common.CalendarPeriod"/>).</summary>
    public CalendarPeriod? CalendarPeriod(string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (Domain.Common.CalendarPeriod.TryParse(text, out var period))
        {
            return period;
        }

        Fail(field, field + ": " + Domain.Common.CalendarPeriod.Rule);
        return null;
    }

    /// <summary>
    /// A page cursor this service issued for list <paramref name="kind"/> (which names the sort too): its sort key, read
    /// as <paramref name="keyKind"/> says, and its sequence.
    /// </summary>
    public PageKey? PageKey(string field, string? text, string kind, PageKeyKind keyKind)
    {
        if (text is null)
        {
            return null;
        }

        if (Cursor.TryDecode(text, kind, 2, out var keys) && Sequence(keys[1]) is { } seq)
        {
            switch (keyKind)
            {
                case PageKeyKind.Day when DateOnly.TryParseExact(keys[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day):
                    return new PageKey(seq, Day: day);
                case PageKeyKind.Name:
                    return new PageKey(seq, Name: keys[0]);
                case PageKeyKind.Sequence:
                    return new PageKey(seq);
            }
        }

        Fail(field, Cursor.InvalidForSortMessage);
        return null;
    }

    /// <summary>A position cursor this service issued for list <paramref name="kind"/> (the change feed's).</summary>
    public long? Position(string field, string? text, string kind)
    {
        if (text is null)
        {
            return null;
        }

        if (Cursor.TryDecode(text, kind, 1, out var keys) && Sequence(keys[0]) is { } position)
        {
            return position;
        }

        Fail(field, Cursor.InvalidMessage);
        return null;
    }

    private static long? Sequence(string key) =>
        long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The parsed value built by <paramref name="build"/>, or the 400's <see cref="ValidationException"/> when a field failed.</summary>
    public T Result<T>(Func<T> build) => Failed ? throw new ValidationException(_failures) : build();

    /// <summary>As <see cref="Result{T}"/> without throwing: what an import does for each of its rows.</summary>
    public bool TryResult<T>(Func<T> build, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value)
        where T : class
    {
        value = Failed ? null : build();
        return value is not null;
    }
}
