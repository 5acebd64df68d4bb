using FluentValidation.Results;
using LinkJ.Application.Common;
using LinkJ.Application.Common.Dtos;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;

namespace LinkJ.Application.Partners;

/// <summary>
/// A partner input parsed (ADR 0044): its slug, kind, country, website and former names' dates are domain values now,
/// so the commands and the mapping to <see cref="PartnerDetails"/> never read the strings again. The texts stay as
/// sent: the domain's value objects trim and check them when the details are built.
/// </summary>
/// <param name="Slug">The URL identifier.</param>
/// <param name="Name">The name, as sent.</param>
/// <param name="ShortName">The usual abbreviation.</param>
/// <param name="Kind">What kind of organisation it is.</param>
/// <param name="Country">Its country.</param>
/// <param name="Region">A region within the country, as sent.</param>
/// <param name="Website">Its website.</param>
/// <param name="FormerNames">Names it was known by before.</param>
public sealed record PartnerFields(
    Slug Slug,
    BilingualTextDto Name,
    string? ShortName,
    PartnerKind Kind,
    CountryCode Country,
    BilingualTextDto? Region,
    Uri? Website,
    IReadOnlyList<FormerNameFields> FormerNames)
{
    private static readonly PartnerInputValidator Shape = new();

    /// <summary>Checks the input's shape and parses its values in one pass; every failure is one 400 (a <see cref="FluentValidation.ValidationException"/>).</summary>
    public static PartnerFields Parse(PartnerInput input)
    {
        var parse = Begin(input, out var build);
        return parse.Result(build);
    }

    /// <summary>As <see cref="Parse"/> without throwing: the failures by field, for an import's row.</summary>
    public static bool TryParse(PartnerInput input, out PartnerFields? fields, out IReadOnlyList<ValidationFailure> failures)
    {
        var parse = Begin(input, out var build);
        failures = parse.Failures;
        return parse.TryResult(build, out fields);
    }

    private static WireParse Begin(PartnerInput input, out Func<PartnerFields> build)
    {
        var parse = new WireParse(Shape.Validate(input).Errors);
        var slug = parse.Slug("slug", input.Slug);
        var kind = parse.Enum<PartnerKind>("kind", input.Kind);
        var country = parse.Country("country", input.Country);
        var website = parse.Url("website", input.Website);

        // The field names FluentValidation gives a member of a list item (formerNames[0].Until), as before.
        // Like the shape's rules of the items, only when every item is an object.
        var formerNames = input.FormerNames ?? [];
        var formerUntil = formerNames.All(f => f is not null)
            ? formerNames.Select((f, i) => parse.PartialDate($"formerNames[{i}].Until", f.Until)).ToList()
            : [];

        // Reached only when nothing failed: the shape validator has checked that the required members are there.
        build = () => new PartnerFields(
            slug!,
            input.Name!,
            input.ShortName,
            kind!.Value,
            country!,
            input.Region,
            website,
            [.. formerNames.Select((f, i) => new FormerNameFields(f.Name, formerUntil[i]))]);
        return parse;
    }
}

/// <summary>A former name, parsed.</summary>
/// <param name="Name">The name, as sent.</param>
/// <param name="Until">When it stopped being used, where known.</param>
public sealed record FormerNameFields(BilingualTextDto Name, PartialDate? Until);
