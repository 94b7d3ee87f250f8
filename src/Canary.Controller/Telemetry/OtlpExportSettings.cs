using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace Canary.Controller.Telemetry;

/// <summary>Where one signal is exported over OTLP.</summary>
/// <param name="Endpoint">The full URL the exporter posts to (for http/protobuf including the <c>/v1/…</c> path).</param>
/// <param name="Protocol">gRPC or HTTP with protobuf bodies.</param>
/// <param name="Headers">Extra request headers as <c>key=value,key2=value2</c> (e.g. a collector's API key).</param>
public sealed record OtlpSignalTarget(Uri Endpoint, OtlpExportProtocol Protocol, string? Headers);

/// <summary>
/// OTLP export as the standard OpenTelemetry environment variables ask for it (see METRICS.md). A signal without an
/// endpoint is not exported at all: no exporter is created, so nothing tries to connect to the SDK's default localhost.
/// Read from <see cref="IConfiguration"/> (environment variables in the controller) and registered as a singleton, so
/// a test can inject its own without touching the process environment.
/// </summary>
public sealed record OtlpExportSettings
{
    /// <summary>service.name when OTEL_SERVICE_NAME is not set.</summary>
    public const string DefaultServiceName = "canary-controller";

    /// <summary>The resource's service.name.</summary>
    public string ServiceName { get; init; } = DefaultServiceName;

    /// <summary>Where spans go; null exports none.</summary>
    public OtlpSignalTarget? Traces { get; init; }

    /// <summary>Where metrics go (besides the Prometheus endpoint); null exports none.</summary>
    public OtlpSignalTarget? Metrics { get; init; }

    /// <summary>Delay between span batches (OTEL_BSP_SCHEDULE_DELAY, the SDK's default 5 s).</summary>
    public int BatchDelayMilliseconds { get; init; } = 5000;

    /// <summary>Interval of metric exports (OTEL_METRIC_EXPORT_INTERVAL, the SDK's default 60 s).</summary>
    public int MetricExportIntervalMilliseconds { get; init; } = 60_000;

    /// <summary>Reads the OTEL_* variables; throws <see cref="InvalidOperationException"/> naming a malformed one.</summary>
    public static OtlpExportSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new OtlpExportSettings
        {
            ServiceName = Value(configuration, "OTEL_SERVICE_NAME") ?? DefaultServiceName,
            Traces = Signal(configuration, "TRACES", "v1/traces"),
            Metrics = Signal(configuration, "METRICS", "v1/metrics"),
            BatchDelayMilliseconds = Milliseconds(configuration, "OTEL_BSP_SCHEDULE_DELAY") ?? 5000,
            MetricExportIntervalMilliseconds = Milliseconds(configuration, "OTEL_METRIC_EXPORT_INTERVAL") ?? 60_000,
        };
    }

    private static OtlpSignalTarget? Signal(IConfiguration configuration, string signal, string path)
    {
        // OTEL_TRACES_EXPORTER=none (or a list without otlp) turns a signal off even with an endpoint set.
        if (Value(configuration, $"OTEL_{signal}_EXPORTER") is { } exporters
            && !exporters.Split(',', StringSplitOptions.TrimEntries).Contains("otlp", StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var protocolVariable = Value(configuration, $"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL") is null
            ? "OTEL_EXPORTER_OTLP_PROTOCOL"
            : $"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL";
        var protocol = Value(configuration, protocolVariable) switch
        {
            // The specification's default; the .NET SDK alone still defaults to gRPC.
            null or "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            "grpc" => OtlpExportProtocol.Grpc,
            var other => throw new InvalidOperationException($"{protocolVariable}: '{other}' is not supported (use http/protobuf or grpc)"),
        };
        var headers = Value(configuration, $"OTEL_EXPORTER_OTLP_{signal}_HEADERS") ?? Value(configuration, "OTEL_EXPORTER_OTLP_HEADERS");

        // As the specification says: a signal's own endpoint is used as is; the shared one gets the signal's path
        // appended for HTTP (gRPC has no path).
        var specific = $"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT";
        if (Value(configuration, specific) is { } own)
        {
            return new OtlpSignalTarget(Url(specific, own), protocol, headers);
        }

        if (Value(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT") is { } shared)
        {
            var url = Url("OTEL_EXPORTER_OTLP_ENDPOINT", shared);
            return new OtlpSignalTarget(
                protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(url.AbsoluteUri.TrimEnd('/') + "/" + path) : url, protocol, headers);
        }

        return null;
    }

    private static string? Value(IConfiguration configuration, string key) =>
        configuration[key]?.Trim() is { Length: > 0 } value ? value : null;

    private static Uri Url(string variable, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidOperationException($"{variable}: '{value}' is not an absolute http(s) URL");

    private static int? Milliseconds(IConfiguration configuration, string key) => Value(configuration, key) switch
    {
        null => null,
        var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0 => ms,
        var text => throw new InvalidOperationException($"{key}: '{text}' is not a positive number of milliseconds"),
    };
}
