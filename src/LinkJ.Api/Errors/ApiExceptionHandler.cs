using System.Text.RegularExpressions;
using FluentValidation;
using LinkJ.Application.Abstractions;
using LinkJ.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace LinkJ.Api.Errors;

/// <summary>
/// The one place that turns failures into RFC 9457 <c>application/problem+json</c>: domain errors by their kind and
/// code, validation failures with <c>errors</c> by field, unreadable requests as 400, a database that cannot answer
/// as 503 with Retry-After, anything else as a 500 that says nothing of the inside.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, IDatabaseAvailability database, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (database.IsUnavailable(exception))
        {
            // The service's state, not the request's fault: say when to come back. Writes are safe to retry (a create
            // with its Idempotency-Key, a change with its If-Match), even in the rare case the commit went through.
            LogDatabaseUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name);
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.RetryAfter = database.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = TitleOf(StatusCodes.Status503ServiceUnavailable),
                    Detail = $"The database cannot be reached just now; try again in {database.RetryAfterSeconds} s. " +
                             "A create retried with its Idempotency-Key, or a change with its If-Match, is never applied twice.",
                    Type = ProblemCodes.TypeOf(ProblemCodes.DatabaseUnavailable),
                    Extensions = { ["code"] = ProblemCodes.DatabaseUnavailable },
                },
                Exception = exception,
            });
        }

        var problem = exception switch
        {
            DomainException domain => FromError(domain.Error),
            ValidationException validation => FromValidation(validation),
            LinkJ.Application.Common.Imports.ImportRejectedException rejected => new ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = TitleOf(StatusCodes.Status422UnprocessableEntity),
                Detail = rejected.Message,
                Type = ProblemCodes.TypeOf(ProblemCodes.ImportRowsInvalid),
                Extensions = { ["code"] = ProblemCodes.ImportRowsInvalid, ["errors"] = rejected.Errors },
            },
            BadHttpRequestException badRequest => FromBadRequest(badRequest),
            ApiProblemException api => new ProblemDetails
            {
                Status = api.Status,
                Title = TitleOf(api.Status),
                Detail = api.Message,
                Type = ProblemCodes.TypeOf(api.Code),
                Extensions = { ["code"] = api.Code },
            },
            _ => null,
        };

        if (problem is null)
        {
            LogUnexpected(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
                Detail = "The error has been logged; quote the traceId when reporting it.",
                Type = ProblemCodes.TypeOf(ProblemCodes.Unexpected),
                Extensions = { ["code"] = ProblemCodes.Unexpected },
            };
        }

        if (exception is ApiProblemException { Errors: { } errors })
        {
            problem.Extensions["errors"] = errors;
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        if (exception is DomainException { Error.CurrentVersion: { } current })
        {
            httpContext.Response.Headers.ETag = Http.ETags.For(current);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    public static ProblemDetails FromError(Error error)
    {
        error = Http.ETags.InHttpWords(error);
        var status = error.Kind switch
        {
            ErrorKind.Validation => StatusCodes.Status400BadRequest,
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict => StatusCodes.Status409Conflict,
            ErrorKind.StaleVersion => StatusCodes.Status412PreconditionFailed,
            ErrorKind.VersionRequired => StatusCodes.Status428PreconditionRequired,
            ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
            ErrorKind.UnsupportedContent => StatusCodes.Status415UnsupportedMediaType,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        var problem = new ProblemDetails
        {
            Status = status,
            Title = TitleOf(status),
            Detail = error.Message,
            Type = ProblemCodes.TypeOf(error.Code),
            Extensions = { ["code"] = error.Code },
        };
        if (error.CurrentVersion is { } current)
        {
            problem.Extensions["currentETag"] = Http.ETags.For(current);
        }

        if (error.Field is not null)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [error.Field] = [error.Message] };
        }

        return problem;
    }

    private static ValidationProblemDetails FromValidation(ValidationException validation)
    {
        var errors = validation.Errors
            .GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        return new ValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request has invalid values.",
            Detail = "See errors for what is wrong with each field.",
            Type = ProblemCodes.TypeOf(ProblemCodes.ValidationFailed),
            Extensions = { ["code"] = ProblemCodes.ValidationFailed },
        };
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException exception)
    {
        if (exception.InnerException is System.Text.Json.JsonException json)
        {
            // The serializer's message names .NET types; say only where in the body the problem is.
            var path = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
            var body = new ValidationProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = TitleOf(StatusCodes.Status400BadRequest),
                Detail = $"The JSON body could not be read at {path}: an unknown field, a value of the wrong type, or malformed JSON.",
                Type = ProblemCodes.TypeOf(ProblemCodes.MalformedRequest),
                Extensions = { ["code"] = ProblemCodes.MalformedRequest },
            };
            body.Errors[path] = ["Unknown field, a value of the wrong type, or malformed JSON."];
            return body;
        }

        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's limit on a body without Content-Length (chunked), reached while reading it.
            return new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = TitleOf(StatusCodes.Status413PayloadTooLarge),
                Detail = Http.RequestLimits.TooLargeDetail,
                Type = ProblemCodes.TypeOf(ProblemCodes.BodyTooLarge),
                Extensions = { ["code"] = ProblemCodes.BodyTooLarge },
            };
        }

        // The framework's message names .NET types ("int? limit"); say only which parameter could not be read.
        var parameter = ParameterName().Match(exception.Message);
        var code = exception.StatusCode == StatusCodes.Status415UnsupportedMediaType ? ProblemCodes.UnsupportedMediaType : ProblemCodes.MalformedRequest;
        var problem = new ValidationProblemDetails
        {
            Status = exception.StatusCode,
            Title = TitleOf(exception.StatusCode),
            Detail = exception.StatusCode == StatusCodes.Status415UnsupportedMediaType
                ? "Send the body as application/json."
                : parameter.Success
                    ? $"The value of '{parameter.Groups[1].Value}' could not be read."
                    : "The request could not be read.",
            Type = ProblemCodes.TypeOf(code),
            Extensions = { ["code"] = code },
        };
        if (parameter.Success)
        {
            problem.Errors[parameter.Groups[1].Value] = ["The value has the wrong type or format."];
        }

        return problem;
    }

    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid.",
        StatusCodes.Status404NotFound => "The resource was not found.",
        StatusCodes.Status409Conflict => "The request conflicts with the current state.",
        StatusCodes.Status412PreconditionFailed => "The resource has changed.",
        StatusCodes.Status428PreconditionRequired => "If-Match is required.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "The media type is not supported.",
        StatusCodes.Status422UnprocessableEntity => "The request breaks a business rule.",
        StatusCodes.Status429TooManyRequests => "Too many requests.",
        StatusCodes.Status503ServiceUnavailable => "The service is temporarily unavailable.",
        _ => "The request failed.",
    };

    [GeneratedRegex("parameter \"(?:[^\"]* )?([A-Za-z0-9_]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();

    [LoggerMessage(Level = LogLevel.Debug, Message = "503 on {Method} {Path}: the database is unavailable ({ExceptionType})")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string method, string path, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
