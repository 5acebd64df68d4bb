using LinkJ.Api.Errors;
using LinkJ.Domain.Common;

namespace LinkJ.Api.Http;

/// <summary>
/// Answers a stale If-Match (412) with the current ETag in the header. It cannot go through the exception handler:
/// that middleware strips ETag from error responses.
/// </summary>
public sealed class StaleVersionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (DomainException exception) when (exception.Error.CurrentVersion is { } current)
        {
            context.HttpContext.SetETag(current);
            var problem = ApiExceptionHandler.FromError(exception.Error);
            return TypedResults.Problem(problem);
        }
    }
}
