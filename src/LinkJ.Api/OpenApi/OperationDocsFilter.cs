using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinkJ.Api.Errors;
using LinkJ.Application.Agreements.Queries.ListAgreements;
using LinkJ.Application.Changes.Queries.ListChanges;
using LinkJ.Application.Common.Paging;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LinkJ.Api.OpenApi;

/// <summary>
/// Completes every operation's documentation: parameter texts, bounds and examples; the success example from the
/// seeded data; an example problem for each error response.
/// </summary>
internal sealed class OperationDocsFilter(IOptions<JsonOptions> json) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Description = JapaneseDocs.WithJapanese(operation.Description, JapaneseDocs.Operations, operation.OperationId);
        var docs = IsWebhooks(context.ApiDescription.RelativePath ?? string.Empty) ? ParameterDocs.Webhooks : ParameterDocs.ByName;
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Name is null || !docs.TryGetValue(parameter.Name, out var doc))
            {
                continue;
            }

            parameter.Description = JapaneseDocs.WithJapanese(doc.Description, JapaneseDocs.Parameters, parameter.Name);
            if (doc.Example.Length > 0)
            {
                parameter.Example = JsonValue.Create(doc.Example);
            }

            if (parameter.Schema is OpenApiSchema schema)
            {
                schema.MaxLength = doc.MaxLength;
                if (doc.Allowed is not null)
                {
                    schema.Enum = [.. doc.Allowed.Select(v => (JsonNode)JsonValue.Create(v)!)];
                }

                if (parameter.Name == "token")
                {
                    schema.Pattern = "^ljcal_[0-9a-f]{8}_[0-9a-f]{64}$";
                }

                if (parameter.Name == "expiringWithin")
                {
                    schema.Pattern = "^P(?=\\d)(\\d{1,5}Y)?(\\d{1,5}M)?(\\d{1,5}W)?(\\d{1,5}D)?$"; // CalendarPeriod; at most P10Y besides
                }

                if (parameter.Name == "year")
                {
                    schema.Minimum = ListAgreementsQuery.MinYear.ToString(CultureInfo.InvariantCulture);
                    schema.Maximum = ListAgreementsQuery.MaxYear.ToString(CultureInfo.InvariantCulture);
                }

                if (parameter.Name == "limit" && docs == ParameterDocs.Webhooks)
                {
                    schema.Minimum = LinkJ.Application.Webhooks.DeliveryLogPage.MinLimit.ToString(CultureInfo.InvariantCulture);
                    schema.Maximum = LinkJ.Application.Webhooks.DeliveryLogPage.MaxLimit.ToString(CultureInfo.InvariantCulture);
                }

                if (parameter.Name == "limit" && docs == ParameterDocs.ByName)
                {
                    var isFeed = context.ApiDescription.RelativePath?.StartsWith("api/v1/changes", StringComparison.Ordinal) == true;
                    var max = isFeed ? ListChangesQuery.MaxLimit : PageLimits.Max;
                    schema.Minimum = "1";
                    schema.Maximum = max.ToString(CultureInfo.InvariantCulture);
                    if (isFeed)
                    {
                        parameter.Description = $"How many changes at most, 1 to {ListChangesQuery.MaxLimit} (default {ListChangesQuery.DefaultLimit}).";
                        parameter.Example = JsonValue.Create(ListChangesQuery.DefaultLimit.ToString(CultureInfo.InvariantCulture));
                    }
                }
            }
        }

        var route = context.ApiDescription.RelativePath ?? string.Empty;
        if (route.StartsWith("api/v1/", StringComparison.Ordinal) && !IsWebhooks(route))
        {
            // Read by the language negotiation for every API request (the `localized` texts of partners and agreements).
            operation.Parameters ??= [];
            if (!operation.Parameters.Any(p => p.Name == "lang"))
            {
                var doc = ParameterDocs.ByName["lang"];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "lang",
                    In = ParameterLocation.Query,
                    Description = JapaneseDocs.WithJapanese(doc.Description, JapaneseDocs.Parameters, "lang"),
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("ja")!, JsonValue.Create("en")!] },
                    Example = JsonValue.Create(doc.Example),
                });
            }
        }

        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Http.IdempotencyKeyMetadata>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Http.IdempotencyFilter.HeaderName,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Makes the POST safe to retry: the same key and body replay the first response (`Idempotent-Replayed: true`); " +
                              "another body gets 422; a retry while the first runs gets 409 (with Retry-After). Kept 48 hours, per API key. " +
                              "A new value (e.g. a UUID) for each new request.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Http.IdempotencyFilter.MaxKeyLength },
                // No `example`: Swagger UI's "Try it out" would prefill it, so every POST there would send the same key and
                // the second create (another body) would get 422 idempotency.key-reused (tools/contract/swagger-ui/).
            });
        }

        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IfMatchMetadata>().FirstOrDefault() is { } ifMatch)
        {
            // Right after the path parameters, so Swagger UI shows its field next to the id: the ETag is all there is to paste.
            operation.Parameters ??= [];
            var afterPath = operation.Parameters.Count(p => p.In == ParameterLocation.Path);
            operation.Parameters.Insert(afterPath, new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Required = ifMatch.Required,
                Description = (ifMatch.Required ? "Required: " : "Only to change a stored record (leave it out to create): ") +
                              "the ETag you read, quotes included (e.g. `\"v3.U3pwiXhHxCEKD4gAfYaB\"` from a GET, `\"v3\"` from a write), " +
                              "or `*`. Missing: 428; stale: 412.",
                // `*`, or a list of (weak or strong) entity tags, RFC 9110 §13.1.1; the service answers anything else with 400.
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1000, Pattern = "^(\\*|(W/)?\"[^\"]*\"([ \\t]*,[ \\t]*(W/)?\"[^\"]*\")*)$" },
                // No `example`: Swagger UI would prefill it, and only the ETag just read is current.
            });
        }

        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Formats.CsvExportMetadata>().Any()
            && operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is not null)
        {
            ok.Content.Clear();
            ok.Content[Formats.Csv.MediaType] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 50_000_000, Description = "RFC 4180 CSV, UTF-8 with a BOM, a header row and one row per record." },
                Example = JsonValue.Create(route.Contains("partners", StringComparison.Ordinal) ? Examples.PartnersCsv : Examples.AgreementsCsv),
            };
        }

        if (route.EndsWith("/calendar.ics", StringComparison.Ordinal) && operation.Responses?.TryGetValue("200", out var calendar) == true
            && calendar.Content?.TryGetValue(Formats.AgreementCalendar.MediaType, out var ics) == true && ics is OpenApiMediaType icsMedia)
        {
            icsMedia.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 50_000_000, Description = "RFC 5545 iCalendar, UTF-8." };
            icsMedia.Example = JsonValue.Create(Examples.Calendar);
        }

        if (operation.Responses?.TryGetValue("303", out var seeOther) == true && seeOther is OpenApiResponse redirect)
        {
            redirect.Description = "See Other: CSV was asked for (?format=csv, or an Accept preferring text/csv); Location is the export.csv operation with the same filters.";
        }

        DocumentHeaders(operation, route, context.ApiDescription.HttpMethod ?? "GET");

        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Endpoints.ImportExamplesMetadata>().FirstOrDefault() is { } imports)
        {
            static OpenApiMediaType Text(string example) => new()
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = (int)Formats.ImportReader.MaxBodyBytes },
                Example = JsonValue.Create(example),
            };

            // application/jsonl is read as JSON lines too (said in the description, not repeated here). CSV first: Swagger UI
            // prefills and sends the first media type's example, and takes a one-line JSON lines text for a JSON value (its
            // media type has "json" in it), sending it re-serialized over several lines; a CSV example it sends verbatim.
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [Formats.Csv.MediaType] = Text(imports.Csv),
                    [Formats.ImportReader.JsonLines] = Text(imports.JsonLines),
                },
            };
        }

        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequestExampleMetadata>().FirstOrDefault() is { } request
            && operation.RequestBody?.Content is { } bodies)
        {
            foreach (var body in bodies.Values.OfType<OpenApiMediaType>())
            {
                body.Example = request.Example.DeepClone();
            }
        }

        DocumentDocs.Apply(operation, context);
        var example = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ResponseExampleMetadata>().FirstOrDefault();
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response.Content is null)
            {
                continue;
            }

            foreach (var (mediaType, content) in response.Content)
            {
                if (content is not OpenApiMediaType media)
                {
                    continue;
                }

                if (status.StartsWith('2') && example is not null && mediaType.Contains("json", StringComparison.Ordinal))
                {
                    media.Example = JsonSerializer.SerializeToNode(example.Example, example.Example.GetType(), json.Value.SerializerOptions);
                }
                else if (int.TryParse(status, out var code) && code >= 400)
                {
                    // The webhook operations take no ?lang= in the document (nothing of theirs is localized), but the
                    // service reads it on every request: their 400 is the same shared problem.
                    media.Example = ProblemExample(code, route, IsWebhooks(route) ? "lang" : operation.Parameters?.FirstOrDefault(p => p.In == ParameterLocation.Query)?.Name);
                }
            }
        }
    }

    /// <summary>The webhook subscriptions: not cached (no-store), no ETag, nothing localized.</summary>
    private static bool IsWebhooks(string route) => route.StartsWith("api/v1/webhooks", StringComparison.Ordinal);

    /// <summary>
    /// The response headers clients rely on: ETag and cache headers on reads and writes, Link on lists, the language,
    /// the rate-limit headers everywhere, and a 429 and a 503 problem with Retry-After on every operation.
    /// </summary>
    private static void DocumentHeaders(OpenApiOperation operation, string route, string method)
    {
        if (!route.StartsWith("api/v1/", StringComparison.Ordinal) || operation.Responses is null)
        {
            return;
        }

        static OpenApiHeader Header(string description, string example) => new()
        {
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 500 },
            Example = JsonValue.Create(example),
        };

        // RateLimit-Policy goes with it on every response; said on the 429, where a client reads it (ADR 0040: size budget).
        var rateLimit = Header("Where the client stands in its window (draft-ietf-httpapi-ratelimit-headers): remaining requests r, seconds to reset t. " +
                               "Sent with RateLimit-Policy, the budget (see 429).", "\"anonymous\";r=599");
        var rateLimitPolicy = Header("The client's budget: q requests per w seconds.", "\"anonymous\";q=600;w=60");
        var retryAfter = Header("Seconds until the client may try again.", "5");
        var etag = Header(
            "Strong validator of this representation. On a single resource it starts with the version (\"v3.…\"): send it as " +
            "If-Match to change the resource, or as If-None-Match to get 304 when nothing changed.", "\"v1.U3pwiXhHxCEKD4gAfYaB\"");
        var cacheControl = ReadCacheControl;
        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers["RateLimit"] = rateLimit;

            if (status == "412")
            {
                concrete.Headers["ETag"] = Header("The current ETag (as `currentETag`): read the resource again, or retry with it.", "\"v2\"");
            }

            if (status == "204" && route.Contains("/documents/", StringComparison.Ordinal))
            {
                concrete.Headers["ETag"] = Header("The agreement's new ETag: removing a document changes it.", "\"v4\"");
            }

            if (status == "303")
            {
                concrete.Headers["Location"] = Header("The export.csv operation with the same filters.", "/api/v1/agreements/export.csv?country=JP");
            }

            if (!status.StartsWith('2') || IsWebhooks(route))
            {
                if (status == "201")
                {
                    concrete.Headers["Location"] = Header("Where the new resource lives.", "/api/v1/agreements/" + Examples.OsakaAgreementId);
                }

                continue;
            }

            if (status != "204")
            {
                concrete.Headers["ETag"] = etag;
            }

            if (method == "GET")
            {
                concrete.Headers["Cache-Control"] = cacheControl;
                if (operation.Parameters?.Any(p => p.Name == "cursor") == true)
                {
                    concrete.Headers["Link"] = Header("The next page (RFC 8288), when there is one.", "</api/v1/agreements?limit=20&cursor=...>; rel=\"next\"");
                }
            }
            else if (status == "201")
            {
                concrete.Headers["Location"] = Header("Where the new resource lives.", "/api/v1/agreements/" + Examples.OsakaAgreementId);
            }
        }

        operation.Responses["429"] = new OpenApiResponse
        {
            Description = "Too many requests: wait Retry-After seconds.",
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = retryAfter,
                ["RateLimit"] = rateLimit,
                ["RateLimit-Policy"] = rateLimitPolicy,
            },
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchemaReference("ProblemDetails", null),
                    Example = ProblemExample(429, route, null),
                },
            },
        };

        if (method == "GET" && !IsWebhooks(route))
        {
            operation.Responses["304"] = new OpenApiResponse
            {
                Description = "Not Modified: the ETag in If-None-Match (or `*`) is still current; no body.",
                Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["ETag"] = etag,
                    ["Cache-Control"] = cacheControl,
                    ["RateLimit"] = rateLimit,
                },
            };
        }

        // 500 and 503 each where it can be sent: every operation can meet an unexpected error, and every one reads the
        // database (the API key, the data version). The service sends no other 5xx, so the validation refuses a 502.
        operation.Responses["500"] = ServerProblem(500, route, "An unexpected error: quote the traceId.", null);
        operation.Responses["503"] = ServerProblem(503, route,
            "The database cannot be reached just now (docs/decisions/0012): retry after Retry-After seconds; retries with Idempotency-Key or If-Match are safe.",
            retryAfter);
    }

    /// <summary>The read's cache header (PublicReadCache): on its 200 and 304.</summary>
    internal static OpenApiHeader ReadCacheControl => new()
    {
        Description = "Public reads may be cached (they vary by Accept-Language and Accept).",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 500 },
        Example = JsonValue.Create("public, max-age=60, stale-while-revalidate=300"),
    };

    private static OpenApiResponse ServerProblem(int status, string route, string description, IOpenApiHeader? retryAfter) => new()
    {
        Description = description,
        Headers = retryAfter is null ? new Dictionary<string, IOpenApiHeader>() : new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = retryAfter },
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new OpenApiMediaType
            {
                Schema = new OpenApiSchemaReference("ProblemDetails", null),
                Example = ProblemExample(status, route, null),
            },
        },
    };

    private static JsonNode ProblemExample(int status, string route, string? queryParameter)
    {
        var partnerRoute = route.StartsWith("api/v1/partners/", StringComparison.Ordinal);
        var (code, title, detail) = status switch
        {
            400 => (ProblemCodes.ValidationFailed, "The request has invalid values.", "See errors for what is wrong with each field."),
            401 => ("auth.unauthenticated", "Authentication required.", "This operation needs a valid API key."),
            403 => ("auth.forbidden", "Not allowed.", "The API key lacks the scope this operation needs."),
            404 when partnerRoute => ("partner.not-found", "The resource was not found.", "No partner has this id or slug."),
            404 when IsWebhooks(route) => ("webhook.not-found", "The resource was not found.", "No webhook subscription has this id."),
            409 when IsWebhooks(route) => ("webhook.too-many", "The request conflicts with the current state.", "At most 100 webhook subscriptions may exist."),
            404 => ("agreement.not-found", "The resource was not found.", "No agreement has this id."),
            409 when partnerRoute || route == "api/v1/partners" => ("partner.slug-taken", "The request conflicts with the current state.", "Another partner already uses this slug."),
            422 when route.EndsWith("/import", StringComparison.Ordinal) => (ProblemCodes.ImportRowsInvalid, "The request breaks a business rule.", "2 of 120 rows have errors: nothing was written (mode=atomic)."),
            415 => (ProblemCodes.UnsupportedMediaType, "The media type is not supported.", "Send application/json (application/merge-patch+json for PATCH)."),
            409 => ("agreement.deleted", "The request conflicts with the current state.", "The agreement has been deleted."),
            412 => ("version.stale", "The resource has changed.", "Its current version is 2: read it again and retry."),
            422 => ("agreement.invalid-transition", "The request breaks a business rule.", "An agreement cannot go from Terminated to Active."),
            429 => ("rate-limit.exceeded", "Too many requests.", "This client may make 600 requests a minute; try again in 5 s."),
            503 => (ProblemCodes.DatabaseUnavailable, "The service is temporarily unavailable.", "The database cannot be reached just now; try again in 5 s."),
            413 => (ProblemCodes.BodyTooLarge, "The request body is too large.", Http.RequestLimits.TooLargeDetail),
            416 => (ProblemCodes.MalformedRequest, "Range Not Satisfiable", "Outside the file."),
            428 => ("precondition.required", "If-Match is required.", "This write needs If-Match with the ETag you read."),
            _ => (ProblemCodes.Unexpected, "An unexpected error occurred.", "Quote the traceId when reporting it."),
        };
        // `detail` only where it says more than the title (the document has a size budget, ADR 0040).
        var problem = new JsonObject
        {
            ["type"] = ProblemCodes.TypeOf(code),
            ["title"] = title,
            ["status"] = status,
            ["code"] = code,
            ["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        };
        if (status is 400 or 409 or 412 or 422 or 503)
        {
            problem.Insert(3, "detail", detail);
        }
        if (status == 422 && route.EndsWith("/import", StringComparison.Ordinal))
        {
            problem["errors"] = new JsonObject
            {
                ["rows[3].signedOn"] = new JsonArray("Must be a date YYYY-MM-DD, or YYYY-MM when only the month is known."),
                ["rows[17].partnerSlug"] = new JsonArray("No partner has this slug."),
            };
        }

        if (status == 400)
        {
            // `instance` (the request path) shown once, here: one shared response per problem, and the document has a size budget.
            problem.Insert(4, "instance", "/api/v1/agreements");
            // One example for every read (a parameter out of range) and one for every write (a field of the body).
            problem["errors"] = queryParameter is null
                ? new JsonObject { ["title.ja"] = new JsonArray("A Japanese text is required.") }
                : new JsonObject { ["lang"] = new JsonArray("lang must be ja or en.") };
        }

        return problem;
    }
}
