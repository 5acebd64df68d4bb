using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LinkJ.Api.Errors;
using LinkJ.Api.Http;
using LinkJ.Api.OpenApi;
using LinkJ.Api.Security;
using LinkJ.Application.Abstractions;
using LinkJ.Application.Common.Dtos;
using LinkJ.Application.Documents;
using LinkJ.Application.Documents.Commands.AddDocument;
using LinkJ.Application.Documents.Commands.DeleteDocument;
using LinkJ.Application.Documents.Queries;
using LinkJ.Application.Security;
using LinkJ.Domain.Agreements;
using LinkJ.Domain.Common;
using LinkJ.Domain.Documents;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LinkJ.Api.Endpoints;

/// <summary>
/// An agreement's documents (ADR 0038): public ones for anyone, internal ones with a key that reads internal data;
/// adding (a file upload or a link) and removing need <c>agreements:write</c> and If-Match on the agreement.
/// </summary>
public static class AgreementDocumentEndpoints
{
    public const string Multipart = "multipart/form-data";

    /// <summary>The form fields an upload takes before its <c>file</c> part.</summary>
    public static readonly string[] FormFields = ["kind", "titleJa", "titleEn", "language", "visibility", "sha256"];

    /// <summary>The most a field of the form may hold (a title is at most 300 characters).</summary>
    private const int MaxFieldBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapAgreementDocuments(this IEndpointRouteBuilder app)
    {
        var reads = app.MapGroup("/api/v1/agreements/{id}/documents").WithTags("Agreements").RequireCors(CorsSetup.PublicReads);

        reads.MapGet("/", List)
            .WithName("ListAgreementDocuments")
            .WithSummary("List an agreement's documents")
            .WithDescription("Press releases, signed MOU, annexes: files (`contentUrl`) and links (`url`), oldest first. Internal ones only with a key " +
                             "with `sync:read`, `agreements:write` or `admin`.")
            .WithMetadata(new InternalDocumentsMetadata())
            .WithResponseExample(new[] { Examples.OsakaRelease })
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesCommonProblems();

        reads.MapGet("/{documentId}", Get)
            .WithName("GetAgreementDocument")
            .WithSummary("Get a document's description")
            .WithDescription("Internal: 404 without a key that reads it.")
            .WithMetadata(new InternalDocumentsMetadata())
            .WithResponseExample(Examples.OsakaRelease)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesCommonProblems();

        reads.MapGet("/{documentId}/content", Content)
            .WithName("GetAgreementDocumentContent")
            .WithSummary("Download a document")
            .WithDescription("A file's bytes: `ETag` is the SHA-256, `Content-Disposition` has `filename*` (RFC 6266); `Range` (206, 416), " +
                             "`If-None-Match` (304). A link: 303 to its URL.")
            .WithMetadata(new InternalDocumentsMetadata(), new Webhooks.NotKeyedOnDataVersion(), new DocumentContentMetadata())
            .Produces(StatusCodes.Status303SeeOther)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable)
            .ProducesCommonProblems();

        var writes = app.MapGroup("/api/v1/agreements/{id}/documents").WithTags("Agreements")
            .RequireAuthorization(ApiScopes.AgreementsWrite).RequireCors(CorsSetup.Writes).AddEndpointFilter<StaleVersionFilter>();

        writes.MapPost("/", Add)
            .WithName("AddAgreementDocument")
            .WithSummary("Add a document to an agreement")
            .WithDescription("A file as `multipart/form-data`, fields first, `file` last: PDF, PNG, JPEG or WebP by its bytes (else 415), " +
                             "<= 20 MiB (else 413). Or a link as JSON (not fetched). Changes the agreement: `If-Match`, new ETag. `sha256`: checked.")
            .WithIdempotencyKey()
            .Accepts<LinkDocumentInput>("application/json", AgreementDocumentEndpoints.Multipart)
            .WithRequestExample(Examples.Requests.LinkDocument)
            .WithMetadata(new DocumentUploadMetadata())
            .WithResponseExample(Examples.OsakaRelease)
            .ProducesWriteProblems(existing: true);

        writes.MapDelete("/{documentId}", Delete)
            .WithName("DeleteAgreementDocument")
            .WithSummary("Remove a document")
            .WithDescription("Changes the agreement: `If-Match`, new ETag.")
            .ProducesWriteProblems(existing: true);

        return app;
    }

    private static async Task<Ok<IReadOnlyList<AgreementDocumentDto>>> List(string id, ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new ListAgreementDocumentsQuery(AgreementId(id), DocumentAccess.SeesInternal(http.User)), cancellationToken));

    private static async Task<Ok<AgreementDocumentDto>> Get(string id, string documentId, ISender sender, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.Send(new GetAgreementDocumentQuery(AgreementId(id), DocumentId(documentId), DocumentAccess.SeesInternal(http.User)), cancellationToken));

    private static async Task<IResult> Content(string id, string documentId, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var seesInternal = DocumentAccess.SeesInternal(http.User);
        var content = await sender.Send(new GetDocumentContentQuery(AgreementId(id), DocumentId(documentId), seesInternal), cancellationToken);
        var document = content.Document;
        http.Response.Headers.CacheControl = document.Visibility == "public" ? "public, max-age=3600" : "private, no-cache";
        http.Response.Headers.Append(HeaderNames.Vary, "Authorization, X-Api-Key");
        if (content.Open is null)
        {
            // A link has no bytes here to validate; If-None-Match: * (any current representation) is still answered.
            if (http.Request.Headers.IfNoneMatch.Any(value => value?.Split(',').Any(tag => tag.Trim() == "*") == true))
            {
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }

            http.Response.Headers.Location = document.Url;
            return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
        }

        // The bytes never change under a document id: the hash is a strong validator. Range, If-Range and
        // If-None-Match are answered by ASP.NET's file result, reading only the chunks a range needs.
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(content.Open(), document.MediaType, document.FileName, entityTag: new EntityTagHeaderValue("\"" + document.Sha256 + "\""),
            enableRangeProcessing: true);
    }

    private static async Task<Created<AgreementDocumentDto>> Add(
        string id, ISender sender, HttpContext http, IdempotencyContext idempotency, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var agreementId = AgreementId(id);
        var version = http.Request.RequiredIfMatch();
        MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType);
        AddedDocument added;
        if (contentType?.MediaType.Equals(Multipart, StringComparison.OrdinalIgnoreCase) == true)
        {
            added = await UploadAsync(agreementId, version, contentType, sender, http, idempotency, cancellationToken);
        }
        else if (contentType?.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            var body = await http.Request.ReadJsonObjectAsync(cancellationToken);
            LinkDocumentInput input;
            try
            {
                input = body.Deserialize<LinkDocumentInput>(json.Value.SerializerOptions) ?? throw new JsonException();
            }
            catch (JsonException exception)
            {
                // Answered as a bound body's would be: where in the body, not the serializer's words.
                throw new BadHttpRequestException("The link's fields could not be read.", StatusCodes.Status400BadRequest, exception);
            }

            KeyIdempotency(idempotency, http, body.ToJsonString());
            added = await sender.Send(new AddLinkDocumentCommand(agreementId, version, input), cancellationToken);
        }
        else
        {
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType,
                $"Send a file as {Multipart} (its fields, then the part named file), or a link as application/json.");
        }

        http.SetETag(added.AgreementVersion);
        return TypedResults.Created($"/api/v1/agreements/{agreementId}/documents/{added.Document.Id}", added.Document);
    }

    /// <summary>Reads the form's fields, then hands the file part's body to the command as it streams in: nothing is buffered.</summary>
    private static async Task<AddedDocument> UploadAsync(
        Guid agreementId, Application.Common.VersionCondition version, MediaTypeHeaderValue contentType, ISender sender, HttpContext http,
        IdempotencyContext idempotency, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
        {
            throw Malformed("The multipart body needs a boundary (RFC 2046: 1 to 70 characters).");
        }

        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersCountLimit = 8, HeadersLengthLimit = 4096 };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    throw Malformed("Each part needs Content-Disposition: form-data with a name.");
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
                if (name == "file")
                {
                    var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    var input = new DocumentInput
                    {
                        Kind = fields.GetValueOrDefault("kind"),
                        Title = fields.ContainsKey("titleJa") || fields.ContainsKey("titleEn") ? new BilingualTextDto(fields.GetValueOrDefault("titleJa")!, fields.GetValueOrDefault("titleEn")) : null,
                        Language = fields.GetValueOrDefault("language"),
                        Visibility = fields.GetValueOrDefault("visibility"),
                    };
                    KeyIdempotency(idempotency, http, JsonSerializer.Serialize(fields.OrderBy(f => f.Key, StringComparer.Ordinal)) + "\n" + fileName);
                    return await sender.Send(new AddFileDocumentCommand(agreementId, version, input, fileName, section.Body, fields.GetValueOrDefault("sha256")), cancellationToken);
                }

                if (!FormFields.Contains(name) || fields.ContainsKey(name))
                {
                    throw new ApiProblemException(StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed,
                        $"A form field is unknown or repeated: '{name}'. The fields are {string.Join(", ", FormFields)}, then the part named file.",
                        new Dictionary<string, string[]> { [name] = ["Unknown or repeated field."] });
                }

                var buffer = new byte[MaxFieldBytes + 1];
                var length = await section.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                if (length > MaxFieldBytes)
                {
                    throw Malformed($"The field {name} is longer than {MaxFieldBytes} bytes.");
                }

                fields[name] = DecodeField(buffer.AsSpan(0, length), name);
            }
        }
        catch (IOException) when (!http.RequestAborted.IsCancellationRequested)
        {
            throw Malformed("The multipart body is not well-formed.");
        }
        catch (InvalidDataException exception)
        {
            throw Malformed("The multipart body is not well-formed: " + exception.Message);
        }

        throw new ApiProblemException(StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed, "The form has no part named file.",
            new Dictionary<string, string[]> { ["file"] = ["Required: the file, after the other fields."] });
    }

    private static async Task<NoContent> Delete(string id, string documentId, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        var agreementId = AgreementId(id);
        var version = http.Request.RequiredIfMatch();
        http.SetETag(await sender.Send(new DeleteDocumentCommand(agreementId, DocumentId(documentId), version), cancellationToken));
        return TypedResults.NoContent();
    }

    /// <summary>An upload's Idempotency-Key covers what the endpoint read (its fields, or the link's JSON), not the multipart framing.</summary>
    private static void KeyIdempotency(IdempotencyContext idempotency, HttpContext http, string what)
    {
        if (idempotency.Request is { } request)
        {
            idempotency.Request = request with { RequestHash = SHA256.HashData(Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}\n{what}")) };
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string DecodeField(ReadOnlySpan<byte> bytes, string name)
    {
        try
        {
            var text = StrictUtf8.GetString(bytes);
            return UnicodeText.IsWellFormed(text) ? text : throw Malformed($"The field {name} is not well-formed text.");
        }
        catch (DecoderFallbackException)
        {
            throw Malformed($"The field {name} is not UTF-8.");
        }
    }

    private static ApiProblemException Malformed(string detail) => new(StatusCodes.Status400BadRequest, ProblemCodes.MalformedRequest, detail);

    private static Guid AgreementId(string id) =>
        Guid.TryParse(id, out var agreementId) ? agreementId : throw new DomainException(AgreementErrors.NotFound);

    private static Guid DocumentId(string id) =>
        Guid.TryParse(id, out var documentId) ? documentId : throw new DomainException(DocumentErrors.NotFound);
}

/// <summary>Who may read internal documents: a key with <c>sync:read</c>, <c>agreements:write</c> or <c>admin</c>.</summary>
public static class DocumentAccess
{
    public static bool SeesInternal(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
        && user.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Any(c => c.Value is ApiScopes.SyncRead or ApiScopes.AgreementsWrite or ApiScopes.Admin);
}

/// <summary>A read whose body depends on whether the caller may see internal documents: the read cache keys on it, and keeps such bodies private.</summary>
public sealed record InternalDocumentsMetadata;

/// <summary>The download of a document's bytes, for its documentation.</summary>
public sealed record DocumentContentMetadata;

/// <summary>The add of a document (multipart or JSON), for its documentation and its body limit.</summary>
public sealed record DocumentUploadMetadata;
