using LinkJ.Infrastructure.Persistence;

namespace LinkJ.Api.Http;

/// <summary>
/// Every request under /api/v1 uses the database (the ETag of a read is its data version; a key is checked in it), so
/// they go through the <see cref="DatabaseCircuit"/>: while the database is known to be down they fail at once with
/// <see cref="DatabaseUnavailableException"/> (a 503 with Retry-After, see <c>ApiExceptionHandler</c>), and a request
/// that finds the database unavailable opens the circuit. Health endpoints stay outside: they always ask the database.
/// </summary>
public sealed class DatabaseFailFast(RequestDelegate next, DatabaseCircuit circuit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api/v1"))
        {
            await next(context);
            return;
        }

        if (!circuit.TryEnter(out var probe))
        {
            throw new DatabaseUnavailableException();
        }

        try
        {
            await next(context);
        }
        catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception))
        {
            circuit.Failed(exception);
            throw;
        }
        catch (OperationCanceledException) when (probe)
        {
            circuit.Abandoned();
            throw;
        }

        if (probe)
        {
            // The probe got through: whatever it answered, the database did not fail it.
            circuit.Succeeded();
        }
    }
}
