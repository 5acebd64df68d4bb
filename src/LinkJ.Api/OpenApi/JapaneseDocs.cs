namespace LinkJ.Api.OpenApi;

/// <summary>
/// The Japanese line beside the English where partner-website developers read (ReDoc at /swagger/reference/, Swagger UI):
/// the public reads and the parameters they filter with. Writes and the internal reads stay in English.
/// </summary>
internal static class JapaneseDocs
{
    /// <summary>By operationId (the endpoint's name).</summary>
    public static readonly IReadOnlyDictionary<string, string> Operations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ListAgreements"] = "提携一覧を署名順に返します。国・種別・提携内容・年・キーワードで絞り込めます。",
        ["ExportAgreementsCsv"] = "一覧と同じ条件の提携をすべてCSV（UTF-8、BOM付き）で返します。",
        ["GetAgreementsAtomFeed"] = "最新の提携を新しい順にAtomフィードで返します。",
        ["GetAgreement"] = "提携を1件、IDで返します（提携先の概要・提携内容・署名者・通し番号付き）。",
        ["ListPartners"] = "提携先一覧を提携開始順に返します。国・種別・キーワードで絞り込めます。",
        ["ExportPartnersCsv"] = "一覧と同じ条件の提携先をすべてCSV（UTF-8、BOM付き）で返します。",
        ["GetPartner"] = "提携先を1件、IDまたはスラッグで返します。",
        ["ListPartnerAgreements"] = "1つの提携先との提携を署名順に返します。",
        ["GetStats"] = "提携先数・提携数の統計（国別・種別・年別・提携内容別）を返します。",
        ["ListCooperationScopes"] = "提携内容の一覧（コードと日英の名称）を返します。",
    };

    /// <summary>By parameter name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Parameters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["lang"] = "表示言語（ja または en）。省略時は日本語。",
        ["country"] = "提携先の国（ISO 3166-1 alpha-2、例: JP）。",
        ["kind"] = "提携先の種別。",
        ["partnerKind"] = "提携先の種別。",
        ["scope"] = "提携内容のコード。",
        ["year"] = "署名の年。",
        ["expiringWithin"] = "今日（日本時間）からこの期間内に有効期限が切れる有効な提携のみ（ISO 8601、例: P90D）。",
        ["q"] = "名称・略称・タイトルを日本語または英語で検索します。",
    };

    /// <summary>The English text, then the Japanese line as a paragraph of its own (both viewers render Markdown).</summary>
    public static string? WithJapanese(string? english, IReadOnlyDictionary<string, string> texts, string? key) =>
        key is not null && texts.TryGetValue(key, out var japanese) ? $"{english}\n\n{japanese}" : english;
}
