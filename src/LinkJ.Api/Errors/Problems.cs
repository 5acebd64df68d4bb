using Microsoft.AspNetCore.Mvc;

namespace LinkJ.Api.Errors;

/// <summary>Writes a problem (RFC 9457) with its stable code from code that runs outside an endpoint (middleware, auth).</summary>
public static class Problems
{
    public static Task WriteProblemAsync(this HttpContext context, int status, string code, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = title,
                Detail = detail,
                Type = ProblemCodes.TypeOf(code),
                Extensions = { ["code"] = code },
            },
        }).AsTask();
    }
}
