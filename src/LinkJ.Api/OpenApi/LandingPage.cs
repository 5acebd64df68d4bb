namespace LinkJ.Api.OpenApi;

/// <summary>What <c>/</c> shows: where to read about the API and where to try it. Plain HTML, no script or style.</summary>
internal static class LandingPage
{
    public const string Html = """
        <!doctype html>
        <html lang="ja">
        <head><meta charset="utf-8"><title>LinkJ.Api — LINK-J partners and agreements</title></head>
        <body>
        <h1>LinkJ.Api</h1>
        <p>LINK-J（一般社団法人ライフサイエンス・イノベーション・ネットワーク・ジャパン）の連携先と覚書の API。<br>
        LINK-J's partners and partnership agreements, as a REST API (Japanese and English).</p>
        <ul>
        <li><a href="swagger/reference/">API reference</a> — 連携先ウェブサイトの開発者向けリファレンス / a reference for partner-website developers (ReDoc)</li>
        <li><a href="swagger/">Swagger UI</a> — すべての操作を試せます / try every operation</li>
        <li><a href="swagger/v1/swagger.json">OpenAPI document</a> (OpenAPI 3.0, JSON)</li>
        </ul>
        </body>
        </html>
        """;
}
