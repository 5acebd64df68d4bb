using LinkJ.Api.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LinkJ.Api.IntegrationTests.Observability;

/// <summary>Traces and metrics leave the process by OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT says where to.</summary>
public sealed class OtlpExporterTests(ApiFactory factory) : ApiTest(factory)
{
    private const string OtlpAssembly = "OpenTelemetry.Exporter.OpenTelemetryProtocol";

    [Fact]
    public async Task Services_WhenNoOtlpEndpointIsConfigured_ShouldRegisterNoOtlpExporter()
    {
        var services = await ServicesOfAHostAsync(otlpEndpoint: null);

        Assert.DoesNotContain(services, FromOtlpExporter);
    }

    /// <summary>The check above sees the exporter when it is there (a loopback port where nothing listens).</summary>
    [Fact]
    public async Task Services_WhenAnOtlpEndpointIsConfigured_ShouldRegisterTheOtlpExporter()
    {
        var services = await ServicesOfAHostAsync(otlpEndpoint: "http://127.0.0.1:4317");

        Assert.Contains(services, FromOtlpExporter);
    }

    private static bool FromOtlpExporter(ServiceDescriptor descriptor) =>
        new[] { descriptor.ServiceType, descriptor.ImplementationType, descriptor.ImplementationInstance?.GetType() }
            .Any(type => type?.Assembly.GetName().Name == OtlpAssembly
                || type?.GenericTypeArguments.Any(argument => argument.Assembly.GetName().Name == OtlpAssembly) == true);

    private async Task<List<ServiceDescriptor>> ServicesOfAHostAsync(string? otlpEndpoint)
    {
        List<ServiceDescriptor> registered = [];
        await using var host = Factory.WithWebHostBuilder(builder =>
        {
            if (otlpEndpoint is not null)
            {
                builder.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint);
            }

            builder.ConfigureTestServices(services => registered = [.. services]);
        });
        _ = host.Services;
        return registered;
    }
}
