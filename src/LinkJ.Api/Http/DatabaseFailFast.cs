using LinkJ.Application.Abstractions;

namespace LinkJ.Api.Http;

/// <summary>
/// Every request under /api/v1 uses the database (the ETag of a read is its data version; a key is checked in it), so
/// they go through the circuit (<see cref="IDatabaseAvailability"/>): while the database is known to be down they fail at once with
/// <see cref="DatabaseUnavailableException"/> (a 503 with Retry-After, see <c>ApiExceptionHandler</c>), and a request
/// that cannot reach the database (<see cref="IDatabaseAvailability.IsConnectionFailure"/>) opens the circuit; one that
/// found it slow (pool wait, command timeout) gets its 503 alone. Health endpoints stay outside: they always ask the database.
/// </summary>
public sealed class DatabaseFailFast(RequestDelegate next, IDatabaseAvailability circuit)
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
        catch (Exception exception) when (circuit.IsConnectionFailure(exception))
        {
            circuit.Failed(exception);
            throw;
        }
        catch (Exception exception) when (circuit.IsUnavailable(exception))
        {
            // Reachable but busy (no pooled connection in time, a command that timed out): still a 503 for this request,
            // but no reason to shed everyone else's — the circuit is neither opened nor closed by it.
            if (probe)
            {
                circuit.Abandoned();
            }

            throw;
        }
        catch when (probe)
        {
            // The probe failed otherwise (the client went away, the request was invalid): that says nothing of the
            // database, so the next request probes instead — never leave the circuit waiting for a probe that ended.
            circuit.Abandoned();
            throw;
        }

        circuit.Succeeded(probe);
    }
}
