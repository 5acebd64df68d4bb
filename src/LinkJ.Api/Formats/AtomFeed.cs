using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using LinkJ.Application.Agreements;
using LinkJ.Application.Common.Dtos;
using LinkJ.Domain.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkJ.Api.Formats;

/// <summary>LINK-J's agreements as an Atom feed (RFC 4287), newest first, in the negotiated language.</summary>
public static class AtomFeed
{
    public const string MediaType = "application/atom+xml";
    public const int Entries = 50;

    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    /// <summary>The feed; its links are absolute on <paramref name="baseUrl"/>, never on the request's Host.</summary>
    public static FileContentHttpResult Write(IReadOnlyList<AgreementDto> agreements, Language language, HttpRequest request, Http.PublicBaseUrl baseUrl)
    {
        var english = language == Language.English;
        var self = baseUrl.Of(request.Path, request.QueryString);
        var updated = agreements.Count == 0 ? DateTimeOffset.UnixEpoch : agreements.Max(a => a.UpdatedAt);
        var feed = new XElement(Atom + "feed",
            new XAttribute(XNamespace.Xml + "lang", language.Code()),
            new XElement(Atom + "id", "tag:link-j.org,2016:linkj-api:agreements"),
            new XElement(Atom + "title", english ? "LINK-J partnerships" : "LINK-J の提携"),
            new XElement(Atom + "subtitle", english
                ? "Memorandums of understanding of Life Science Innovation Network Japan with universities, clusters, foundations, companies and local governments."
                : "ライフサイエンス・イノベーション・ネットワーク・ジャパンと国内外の大学・クラスター・財団・企業・自治体との相互提携の覚書"),
            new XElement(Atom + "updated", Rfc3339(updated)),
            new XElement(Atom + "link", new XAttribute("rel", "self"), new XAttribute("type", MediaType), new XAttribute("href", self)),
            new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "text/html"), new XAttribute("href", "https://www.link-j.org/")),
            new XElement(Atom + "author", new XElement(Atom + "name", "LINK-J"), new XElement(Atom + "uri", "https://www.link-j.org/")),
            new XElement(Atom + "generator", "LinkJ.Api"),
            agreements.Select(a => Entry(a, english, baseUrl)));

        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), feed).Save(writer);
        }

        return TypedResults.File(stream.ToArray(), MediaType + "; charset=utf-8");
    }

    private static XElement Entry(AgreementDto agreement, bool english, Http.PublicBaseUrl baseUrl)
    {
        var signed = agreement.SignedOnPrecision == DatePrecision.Day ? agreement.SignedOn : agreement.SignedOn + "-01";
        var summary = english
            ? $"{agreement.Localized.PartnerName} ({agreement.Partner.Country}) — signed {agreement.SignedOn}. Cooperation: {string.Join("; ", agreement.Localized.Scopes)}."
            : $"{agreement.Localized.PartnerName}（{agreement.Partner.Country}）— {agreement.SignedOn} 締結。提携内容：{string.Join("、", agreement.Localized.Scopes)}。";
        return new XElement(Atom + "entry",
            new XElement(Atom + "id", "urn:uuid:" + agreement.Id),
            new XElement(Atom + "title", Text(agreement.Localized.Title)),
            new XElement(Atom + "updated", Rfc3339(agreement.UpdatedAt)),
            new XElement(Atom + "published", signed + "T00:00:00+09:00"),
            new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "application/json"),
                new XAttribute("href", baseUrl.Of($"/api/v1/agreements/{agreement.Id}"))),
            new XElement(Atom + "summary", Text(summary)),
            agreement.Cooperation.Scopes.Select(scope => new XElement(Atom + "category",
                new XAttribute("term", Text(scope.Code)),
                new XAttribute("label", Text(english ? scope.Label.En ?? scope.Label.Ja : scope.Label.Ja)))));
    }

    /// <summary>
    /// A stored text as XML can carry it: a character XML 1.0 does not allow (a control character, U+FFFE, U+FFFF, a lone
    /// surrogate) becomes U+FFFD. Writes refuse them, but a value that reached the database another way must not make
    /// the feed fail for every reader.
    /// </summary>
    private static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        StringBuilder? clean = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                clean?.Append(text, i, 2);
                i++;
            }
            else if (XmlConvert.IsXmlChar(text[i]))
            {
                clean?.Append(text[i]);
            }
            else
            {
                clean ??= new StringBuilder(text.Length).Append(text, 0, i);
                clean.Append('\uFFFD');
            }
        }

        return clean?.ToString() ?? text;
    }

    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
