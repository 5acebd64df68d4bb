using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Application;

public static class DependencyInjection
{
    /// <summary>Registers the use cases' validators. The mediator itself is generated and registered in the host.</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton);
        services.AddScoped<Abstractions.IdempotencyContext>();
        services.AddScoped<Abstractions.CommandRehearsal>();
        // Replaced by the documents feature's implementation (registered after this one, so it wins).
        services.AddScoped<Agreements.Documents.IPublicDocumentLinks, Documents.PublicDocumentLinks>();
        return services;
    }
}
