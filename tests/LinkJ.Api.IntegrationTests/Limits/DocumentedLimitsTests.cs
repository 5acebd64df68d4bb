using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Api.IntegrationTests.Infrastructure.Contract;

namespace LinkJ.Api.IntegrationTests.Limits;

/// <summary>The OpenAPI document states the limits the service enforces, so a client can check before it sends.</summary>
public sealed class DocumentedLimitsTests(ApiFactory factory) : ApiTest(factory)
{
    [Theory]
    [InlineData("BilingualText", "ja", "maxLength", 500)]
    [InlineData("NewAgreementInput", "sourceNote", "maxLength", 2000)]
    [InlineData("NewAgreementInput", "signatories", "maxItems", 30)]
    [InlineData("AgreementInput", "signatories", "maxItems", 30)]
    [InlineData("CooperationInput", "scopes", "maxItems", 30)]
    [InlineData("CooperationInput", "note", "maxLength", 2000)]
    [InlineData("PartnerInput", "slug", "maxLength", 80)]
    [InlineData("PartnerInput", "shortName", "maxLength", 40)]
    [InlineData("PartnerInput", "formerNames", "maxItems", 20)]
    [InlineData("ValidityInput", "termMonths", "maximum", 1200)]
    [InlineData("TerminationInput", "reason", "maxLength", 2000)]
    public async Task SwaggerJson_WhenRequested_ShouldStateTheLimitOfEachInputMember(string schema, string member, string keyword, int limit)
    {
        var document = JsonNode.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json"))!;

        var value = document["components"]!["schemas"]![schema]!["properties"]![member]![keyword];

        Assert.NotNull(value);
        Assert.Equal(limit, int.Parse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SwaggerJson_WhenRequested_ShouldDocument413OnEveryOperationThatTakesABody()
    {
        var document = OpenApiRefs.Inline(JsonNode.Parse(await Client.GetStringAsync("/swagger/v1/swagger.json"))!);

        var withBody = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Name: $"{o.Key} {p.Key}", Operation: o.Value!)))
            .Where(o => o.Operation["requestBody"] is not null)
            .ToList();

        Assert.NotEmpty(withBody);
        Assert.All(withBody, o => Assert.True(o.Operation["responses"]!["413"] is not null, o.Name));
    }
}
