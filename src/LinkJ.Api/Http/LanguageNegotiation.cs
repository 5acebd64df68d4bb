using LinkJ.Api.Errors;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Common.Dtos;
using LinkJ.Domain.Common;
using Microsoft.Net.Http.Headers;

namespace LinkJ.Api.Http;

/// <summary>
/// Picks the response language: <c>?lang=ja|en</c> if given, else the best of ja and en in <c>Accept-Language</c>
/// (q-values honoured, <c>en-US</c> counts as en), else Japanese. Sets <c>Content-Language</c> and <c>Vary</c>.
/// </summary>
public static class LanguageNegotiation
{
    public static Language Negotiate(HttpRequest request)
    {
        if (request.Query.TryGetValue("lang", out var lang))
        {
            return lang.ToString() switch
            {
                "ja" => Language.Japanese,
                "en" => Language.English,
                _ => throw new ApiProblemException(StatusCodes.Status400BadRequest, "language.unsupported", "lang must be ja or en."),
            };
        }

        if (request.Headers.AcceptLanguage.Count == 0)
        {
            return Language.Japanese; // what the loop below finds for no header, without parsing one
        }

        var accepted = request.GetTypedHeaders().AcceptLanguage
            .Where(value => value.Quality is not 0)
            .Select((value, index) => (Tag: value.Value.ToString(), Quality: value.Quality ?? 1, index))
            .OrderByDescending(value => value.Quality)
            .ThenBy(value => value.index);
        foreach (var (tag, _, _) in accepted)
        {
            if (Matches(tag, "ja") || tag == "*")
            {
                return Language.Japanese;
            }

            if (Matches(tag, "en"))
            {
                return Language.English;
            }
        }

        return Language.Japanese;
    }

    /// <summary>Negotiates once per request and announces the result on the response.</summary>
    public static IApplicationBuilder UseLanguageNegotiation(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            var language = Negotiate(context.Request);
            Representation.Of(context).Language = language;
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode < 400)
                {
                    context.Response.Headers.ContentLanguage = language.Code();
                }

                context.Response.Headers.Append(HeaderNames.Vary, "Accept-Language");
                return Task.CompletedTask;
            });
        }

        // Not async: nothing runs after the rest of the pipeline, so no state machine per request.
        return next(context);
    });

    private static bool Matches(string tag, string language) =>
        tag.Equals(language, StringComparison.OrdinalIgnoreCase) || tag.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The negotiated language of the current request, for the use cases.</summary>
    internal sealed class Context(IHttpContextAccessor http) : ILanguageContext
    {
        public Language Language => http.HttpContext?.Features.Get<Representation>()?.Language ?? Language.Japanese;
    }
}
