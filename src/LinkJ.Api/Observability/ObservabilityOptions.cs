namespace LinkJ.Api.Observability;

/// <summary>The <c>Observability</c> section of the configuration.</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>The standard OpenTelemetry variable: traces and metrics are exported by OTLP only when it is set.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The standard OpenTelemetry variable for the service's name; <see cref="DefaultServiceName"/> otherwise.</summary>
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    public const string DefaultServiceName = "linkj-api";

    public PrometheusOptions Prometheus { get; set; } = new();

    public sealed class PrometheusOptions
    {
        /// <summary>Serve the metrics for Prometheus to scrape.</summary>
        public bool Enabled { get; set; } = true;

        /// <summary>Where the metrics are served.</summary>
        public string Path { get; set; } = "/metrics";

        /// <summary>
        /// The local port the metrics are served on, and the only thing served there; the service listens on it besides
        /// its API URLs (one the public Service does not route to, so the internet cannot read them). 0 serves them on
        /// every port, the API's included.
        /// </summary>
        public int Port { get; set; } = DefaultPort;

        /// <summary>The port OpenTelemetry's Prometheus exporter uses by convention.</summary>
        public const int DefaultPort = 9464;
    }
}
