using System.Globalization;
using LinkJ.Application.Agreements;
using LinkJ.Application.Common.Dtos;
using LinkJ.Application.Partners;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Partners;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinkJ.Api.OpenApi;

/// <summary>
/// Puts the limits the domain and the validators enforce into the schemas of the request bodies (maxLength, maxItems,
/// minimum/maximum), from the same constants, so that the document and the checks cannot drift apart.
/// </summary>
internal sealed class InputLimitsSchemaFilter : ISchemaFilter
{
    private const int DateLength = 10; // YYYY-MM-DD
    private const int CodeLength = 40; // enum codes such as collaboration-agreement

    private static readonly Dictionary<Type, Dictionary<string, Action<OpenApiSchema>>> Limits = new()
    {
        [typeof(BilingualTextDto)] = new()
        {
            ["ja"] = s => s.MaxLength = BilingualText.MaxLength,
            ["en"] = s => s.MaxLength = BilingualText.MaxLength,
        },
        [typeof(AgreementInput)] = AgreementLimits(),
        [typeof(NewAgreementInput)] = new(AgreementLimits()) { ["status"] = s => s.MaxLength = CodeLength },
        [typeof(ValidityInput)] = new()
        {
            ["from"] = s => s.MaxLength = DateLength,
            ["until"] = s => s.MaxLength = DateLength,
            ["termMonths"] = s => (s.Minimum, s.Maximum) = ("1", Validity.MaxTermMonths.ToString(CultureInfo.InvariantCulture)),
        },
        [typeof(CooperationInput)] = new()
        {
            ["scopes"] = s =>
            {
                s.MaxItems = AgreementErrors.MaxScopes;
                if (s.Items is OpenApiSchema item)
                {
                    item.MaxLength = Slug.MaxLength;
                }
            },
            ["note"] = s => s.MaxLength = AgreementErrors.MaxNoteLength,
        },
        [typeof(PartnerInput)] = new()
        {
            ["slug"] = s => s.MaxLength = Slug.MaxLength,
            ["shortName"] = s => s.MaxLength = PartnerErrors.MaxShortNameLength,
            ["kind"] = s => s.MaxLength = CodeLength,
            ["country"] = s => (s.MinLength, s.MaxLength) = (2, 2),
            ["website"] = s => s.MaxLength = PartnerInputValidator.MaxWebsiteLength,
            ["formerNames"] = s => s.MaxItems = PartnerErrors.MaxFormerNames,
        },
        [typeof(FormerNameDto)] = new() { ["until"] = s => s.MaxLength = DateLength },
        [typeof(Endpoints.TerminationInput)] = new()
        {
            ["on"] = s => s.MaxLength = DateLength,
            ["reason"] = s => s.MaxLength = AgreementErrors.MaxNoteLength,
        },
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties: { } properties } || !Limits.TryGetValue(context.Type, out var limits))
        {
            return;
        }

        foreach (var (name, limit) in limits)
        {
            if (properties.TryGetValue(name, out var property) && property is OpenApiSchema inline)
            {
                limit(inline);
            }
        }
    }

    private static Dictionary<string, Action<OpenApiSchema>> AgreementLimits() => new()
    {
        ["type"] = s => s.MaxLength = CodeLength,
        ["signedOn"] = s => s.MaxLength = DateLength,
        ["signatories"] = s => s.MaxItems = AgreementErrors.MaxSignatories,
        ["sourceNote"] = s => s.MaxLength = AgreementErrors.MaxNoteLength,
    };
}
