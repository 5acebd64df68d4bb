using LinkJ.Domain.Common;

namespace LinkJ.Application.Abstractions;

/// <summary>The language the client asked for (Accept-Language or ?lang=), in which reads give their display fields.</summary>
public interface ILanguageContext
{
    Language Language { get; }
}
