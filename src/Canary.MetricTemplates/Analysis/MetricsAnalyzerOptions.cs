using Canary.MetricTemplates.BuiltIn;
using Canary.MetricTemplates.Providers;

namespace Canary.MetricTemplates.Analysis;

/// <summary>Controller-wide settings of metric analysis (Flagger's -metrics-server and -mesh-provider flags).</summary>
public sealed class MetricsAnalyzerOptions
{
    /// <summary>Prometheus used by built-in metrics and inline queries when the Canary sets no metricsServer; also the address of Prometheus templates without one.</summary>
    public string? DefaultMetricsServer { get; set; }

    /// <summary>Traffic provider used to pick built-in queries when the Canary sets none. Default istio.</summary>
    public string DefaultProvider { get; set; } = BuiltInMetricTemplates.DefaultProvider;

    /// <summary>Timeouts and retries of Prometheus queries.</summary>
    public PrometheusClientOptions Prometheus { get; set; } = new();
}
