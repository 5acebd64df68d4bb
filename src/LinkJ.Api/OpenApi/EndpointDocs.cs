namespace LinkJ.Api.OpenApi;

/// <summary>An example body of an operation's success response, drawn from the seeded data.</summary>
/// <param name="Example">The value, serialized as the API serializes it.</param>
public sealed record ResponseExampleMetadata(object Example);

/// <summary>An example request body that succeeds as it is (Swagger UI prefills it for "Try it out").</summary>
public sealed record RequestExampleMetadata(System.Text.Json.Nodes.JsonObject Example);

public static class EndpointDocs
{
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder builder, System.Text.Json.Nodes.JsonObject example) =>
        builder.WithMetadata(new RequestExampleMetadata(example));

    public static RouteHandlerBuilder WithResponseExample(this RouteHandlerBuilder builder, object example) =>
        builder.WithMetadata(new ResponseExampleMetadata(example));

    /// <summary>The reads for internal systems (change feed, histories) need an API key with sync:read: 401 without one, 403 without the scope.</summary>
    public static RouteHandlerBuilder ProducesSyncReadProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>Problems any operation can answer with: 400 (every operation reads at least ?lang=) and 500.</summary>
    public static RouteHandlerBuilder ProducesCommonProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesValidationProblem().ProducesProblem(StatusCodes.Status500InternalServerError);
}
