using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LinkJ.Api.IntegrationTests.Infrastructure;
using LinkJ.Application.Seed;

namespace LinkJ.Api.IntegrationTests.Documents;

/// <summary>An agreement's documents (ADR 0038): uploads checked by their bytes, stored in chunks, read back unchanged.</summary>
public sealed class AgreementDocumentTests(ApiFactory factory) : WriteTest(factory)
{
    private static readonly string Osaka = SeedIds.Agreement("osaka-prefecture").ToString();
    private static readonly string Documents = $"/api/v1/agreements/{Osaka}/documents";

    private static byte[] Pdf(int size, int seed = 7)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    private static byte[] Png(int size)
    {
        var bytes = new byte[size];
        new Random(3).NextBytes(bytes);
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        return bytes;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<string> AgreementETagAsync()
    {
        using var response = await Client.GetAsync($"/api/v1/agreements/{Osaka}");
        return response.Headers.ETag!.Tag;
    }

    private async Task<HttpResponseMessage> UploadAsync(
        string key, byte[] file, string fileName = "mou.pdf", string? ifMatch = null, string visibility = "public", string? idempotencyKey = null,
        string declaredType = "application/pdf", string? sha256 = null, bool sendIfMatch = true)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("signed-mou"), "kind" },
            { new StringContent("大阪府との覚書（署名版）"), "titleJa" },
            { new StringContent("Signed MOU with Osaka Prefecture"), "titleEn" },
            { new StringContent("ja"), "language" },
            { new StringContent(visibility), "visibility" },
        };
        if (sha256 is not null)
        {
            form.Add(new StringContent(sha256), "sha256");
        }

        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(declaredType);
        form.Add(content, "file", fileName);
        var request = Request(HttpMethod.Post, Documents, key, ifMatch: sendIfMatch ? ifMatch ?? await AgreementETagAsync() : null);
        request.Content = form;
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await Client.SendAsync(request);
    }

    private static async Task<JsonNode> CreatedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private Task<long> CountAsync(string table) => Factory.ScalarAsync<long>($"SELECT count(*) FROM {table}")!;

    [Fact]
    public async Task Upload_WhenAPdf_ShouldStoreItInChunksAndServeTheSameBytesAndHash()
    {
        var key = await CreateKeyAsync("agreements:write");
        var file = Pdf((600 * 1024) + 123);

        using var response = await UploadAsync(key, file);
        var created = await CreatedAsync(response);
        using var download = await Client.GetAsync(created["contentUrl"]!.GetValue<string>());
        var served = await download.Content.ReadAsByteArrayAsync();

        Assert.Equal("application/pdf", created["mediaType"]!.GetValue<string>());
        Assert.Equal(Sha256(file), created["sha256"]!.GetValue<string>());
        Assert.Equal(file.Length, created["size"]!.GetValue<long>());
        Assert.Equal("\"v2\"", response.Headers.ETag!.Tag); // a change of the agreement: version 1 → 2
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"\"{Sha256(file)}\"", download.Headers.ETag!.Tag);
        Assert.Equal(Sha256(file), Sha256(served));
        // Streamed in 256 KiB chunks: 600 KiB and a bit are three rows, none larger than a chunk.
        Assert.Equal(3, await CountAsync("document_contents"));
        Assert.Equal(256 * 1024, await Factory.ScalarAsync<int>("SELECT max(octet_length(data)) FROM document_contents"));
    }

    [Fact]
    public async Task Upload_WhenAPngNamedAndDeclaredOtherwise_ShouldBeKeptAsImagePngByItsBytes()
    {
        var key = await CreateKeyAsync("agreements:write");
        var file = Png(5000);

        using var response = await UploadAsync(key, file, fileName: "photo.bin", declaredType: "application/octet-stream");
        var created = await CreatedAsync(response);
        using var download = await Client.GetAsync(created["contentUrl"]!.GetValue<string>());

        Assert.Equal("image/png", created["mediaType"]!.GetValue<string>());
        Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Sha256(file), Sha256(await download.Content.ReadAsByteArrayAsync()));
    }

    [Theory]
    [InlineData("MZ\u0090\0\u0003\0\0\0program", "setup.pdf")] // a Windows executable renamed .pdf
    [InlineData("これはPDFではありません。ただのテキストです。", "memo.pdf")] // text renamed .pdf
    [InlineData("", "empty.pdf")]
    public async Task Upload_WhenTheBytesAreNeitherPdfNorAnImage_ShouldAnswer415AndStoreNothing(string text, string fileName)
    {
        var key = await CreateKeyAsync("agreements:write");
        var before = await SnapshotAsync();

        using var response = await UploadAsync(key, Encoding.UTF8.GetBytes(text), fileName);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "document.unsupported-content");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Upload_WhenOneByteOver20MiB_ShouldAnswer413AndStoreNothing()
    {
        var key = await CreateKeyAsync("agreements:write");
        var before = await SnapshotAsync();

        using var response = await UploadAsync(key, Pdf((20 * 1024 * 1024) + 1));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "document.too-large");
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(0, await CountAsync("document_contents"));
    }

    [Fact]
    public async Task Upload_WhenTheSha256SentDiffers_ShouldAnswer422AndStoreNothing()
    {
        var key = await CreateKeyAsync("agreements:write");
        var before = await SnapshotAsync();

        using var response = await UploadAsync(key, Pdf(1000), sha256: new string('a', 64));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "document.sha256-mismatch");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Content_WhenARangeIsAsked_ShouldAnswer206WithThoseBytesAnd416OutsideTheFile()
    {
        var key = await CreateKeyAsync("agreements:write");
        var file = Pdf(700 * 1024);
        using var uploaded = await UploadAsync(key, file);
        var url = (await CreatedAsync(uploaded))["contentUrl"]!.GetValue<string>();

        using var range = new HttpRequestMessage(HttpMethod.Get, url);
        range.Headers.Range = new RangeHeaderValue(262_000, 262_299); // across the first chunk's end
        using var partial = await Client.SendAsync(range);
        using var outside = new HttpRequestMessage(HttpMethod.Get, url);
        outside.Headers.Range = new RangeHeaderValue(file.Length + 10, null);
        using var refused = await Client.SendAsync(outside);

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal($"bytes 262000-262299/{file.Length}", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal(file.AsSpan(262_000, 300).ToArray(), await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
    }

    [Fact]
    public async Task Content_WhenIfNoneMatchNamesItsHash_ShouldAnswer304()
    {
        var key = await CreateKeyAsync("agreements:write");
        using var uploaded = await UploadAsync(key, Png(2000));
        var created = await CreatedAsync(uploaded);

        using var request = new HttpRequestMessage(HttpMethod.Get, created["contentUrl"]!.GetValue<string>());
        request.Headers.TryAddWithoutValidation("If-None-Match", $"\"{created["sha256"]!.GetValue<string>()}\"");
        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task Content_WhenTheFileNameIsJapanese_ShouldNameItInUtf8ByRfc6266()
    {
        var key = await CreateKeyAsync("agreements:write");
        using var uploaded = await UploadAsync(key, Pdf(3000), fileName: "大阪府との覚書.pdf");
        var created = await CreatedAsync(uploaded);

        using var download = await Client.GetAsync(created["contentUrl"]!.GetValue<string>());
        var disposition = download.Content.Headers.ContentDisposition!;

        Assert.Equal("大阪府との覚書.pdf", created["fileName"]!.GetValue<string>());
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("大阪府との覚書.pdf", disposition.FileNameStar);
        Assert.Contains("filename*=UTF-8''%E5%A4%A7%E9%98%AA%E5%BA%9C", string.Join(",", download.Content.Headers.GetValues("Content-Disposition")));
    }

    [Fact]
    public async Task Read_WhenADocumentIsInternal_ShouldHideItWithoutAKeyAndShowItWithOne()
    {
        var key = await CreateKeyAsync("agreements:write");
        using var uploaded = await UploadAsync(key, Pdf(2000), visibility: "internal");
        var created = await CreatedAsync(uploaded);
        var id = created["id"]!.GetValue<string>();

        var anonymous = (await GetJsonAsync(Documents)).AsArray();
        var keyed = (await GetSyncJsonAsync(Documents)).AsArray();
        using var anonymousList = await Client.GetAsync(Documents);

        Assert.DoesNotContain(anonymous, d => d!["id"]!.GetValue<string>() == id);
        Assert.Contains(keyed, d => d!["id"]!.GetValue<string>() == id);
        Assert.True(anonymousList.Headers.CacheControl!.Public);
        await GetProblemAsync($"{Documents}/{id}", HttpStatusCode.NotFound, "document.not-found");
        await GetProblemAsync($"{Documents}/{id}/content", HttpStatusCode.NotFound, "document.not-found");
        Assert.Equal("internal", (await GetSyncJsonAsync($"{Documents}/{id}"))["visibility"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_WhenReadWithAKeyAfterAnAnonymousRead_ShouldNotShareTheCachedBodyNorBePublic()
    {
        var key = await CreateKeyAsync("agreements:write");
        using var uploaded = await UploadAsync(key, Pdf(2000), visibility: "internal");
        await CreatedAsync(uploaded);
        await GetJsonAsync(Documents); // cached for anonymous readers

        using var request = new HttpRequestMessage(HttpMethod.Get, Documents);
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", await SyncReadKeyAsync());
        using var keyed = await Client.SendAsync(request);

        Assert.Equal(2, JsonNode.Parse(await keyed.Content.ReadAsStringAsync())!.AsArray().Count);
        Assert.True(keyed.Headers.CacheControl!.Private);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("\"v7\"")]
    public async Task Upload_WhenIfMatchIsMissingOrStale_ShouldAnswer428Or412AndChangeNothing(string? ifMatch)
    {
        var key = await CreateKeyAsync("agreements:write");
        var before = await SnapshotAsync();

        using var response = await UploadAsync(key, Pdf(100), ifMatch: ifMatch, sendIfMatch: ifMatch is not null);

        await AssertProblemAsync(response, ifMatch is null ? HttpStatusCode.PreconditionRequired : HttpStatusCode.PreconditionFailed);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Upload_WhenRetriedWithTheSameIdempotencyKey_ShouldReplayAndStoreOnce()
    {
        var key = await CreateKeyAsync("agreements:write");
        var file = Pdf(5000);
        var etag = await AgreementETagAsync();

        using var first = await UploadAsync(key, file, ifMatch: etag, idempotencyKey: "upload-1");
        using var retry = await UploadAsync(key, file, ifMatch: etag, idempotencyKey: "upload-1");

        Assert.Equal((await CreatedAsync(first))["id"]!.GetValue<string>(), (await CreatedAsync(retry))["id"]!.GetValue<string>());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(2, await CountAsync("agreement_documents")); // the seeded release and this one
    }

    [Fact]
    public async Task Seed_WhenLoaded_ShouldGiveOsakaItsReleaseOf20200907AsAPublicLinkWithoutAHash()
    {
        var documents = (await GetJsonAsync(Documents)).AsArray();
        var release = Assert.Single(documents)!;
        // Without following the redirect: the link is never fetched by a test.
        using var noRedirects = Factory.CreateDefaultClient(new Uri("http://localhost"), new Infrastructure.Contract.ContractValidatingHandler(Factory.ContractAsync));
        using var content = await noRedirects.GetAsync($"{Documents}/{release["id"]}/content");

        Assert.Equal("press-release", release["kind"]!.GetValue<string>());
        Assert.Equal("link", release["storage"]!.GetValue<string>());
        Assert.Equal("https://www.link-j.org/", release["url"]!.GetValue<string>());
        Assert.Equal("LINK-J、大阪府とライフサイエンス領域に関する相互提携の覚書を締結", release["title"]!["ja"]!.GetValue<string>());
        Assert.Null(release["sha256"]);
        Assert.Equal(HttpStatusCode.SeeOther, content.StatusCode);
        Assert.Equal("https://www.link-j.org/", content.Headers.Location!.ToString());
    }

    [Fact]
    public async Task AddLinkThenDeleteFile_WhenEachNamesTheCurrentETag_ShouldChangeTheAgreementAndItsFeed()
    {
        var key = await CreateKeyAsync("agreements:write");
        using var linked = await Client.SendAsync(Request(HttpMethod.Post, Documents, key, ifMatch: await AgreementETagAsync(), body: new
        {
            kind = "press-release",
            title = new { ja = "英語版のリリース", en = "The release in English" },
            language = "en",
            url = "https://example.org/release-en",
        }));
        var link = await CreatedAsync(linked);
        using var uploaded = await UploadAsync(key, Pdf(300 * 1024), ifMatch: linked.Headers.ETag!.Tag);
        var file = await CreatedAsync(uploaded);

        using var deleted = await Client.SendAsync(Request(HttpMethod.Delete, $"{Documents}/{file["id"]}", key, ifMatch: uploaded.Headers.ETag!.Tag));
        var history = (await GetSyncJsonAsync($"/api/v1/agreements/{Osaka}/history")).AsArray();

        Assert.Equal("link", link["storage"]!.GetValue<string>());
        Assert.Null(link["contentUrl"]);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal("\"v4\"", deleted.Headers.ETag!.Tag);
        Assert.Equal(0, await CountAsync("document_contents"));
        Assert.Equal(2, (await GetJsonAsync(Documents)).AsArray().Count);
        Assert.Equal(3, history.Count(h => h!["changedFields"]!.AsArray().Any(f => f!.GetValue<string>() == "documents")));
    }
}
