using System.Globalization;
using Canary.Sandbox.Prometheus;

namespace Canary.Sandbox.Demo;

/// <summary>Success rate (%) and p99 (ms) of one workload's pods over the last few seconds; null where there were no requests.</summary>
/// <param name="SuccessRate">Share of non-5xx answers, 0..100.</param>
/// <param name="P99Ms">99th percentile response time in milliseconds.</param>
public sealed record WorkloadMetrics(double? SuccessRate, double? P99Ms)
{
    /// <summary>No requests seen.</summary>
    public static WorkloadMetrics None { get; } = new(null, null);
}

/// <summary>The primary's and the canary's <see cref="WorkloadMetrics"/> at one moment.</summary>
/// <param name="Primary">Pods of <c>podinfo-primary</c>.</param>
/// <param name="Canary">Pods of <c>podinfo</c> (the release under analysis).</param>
public sealed record MetricSample(WorkloadMetrics Primary, WorkloadMetrics Canary)
{
    /// <summary>Nothing measured.</summary>
    public static MetricSample None { get; } = new(WorkloadMetrics.None, WorkloadMetrics.None);
}

/// <summary>
/// Reads the live numbers of the story from Prometheus: the pods' own <c>http_request_duration_seconds</c>, which every
/// provider's simulated pods export, so primary and canary are measured the same way whatever the data plane. (The
/// controller judges the canary with the provider's built-in queries; those have no primary counterpart.)
/// </summary>
/// <remarks><paramref name="pods"/> gives the pod-name patterns (regular expressions) of the primary and the canary now.</remarks>
public sealed class DemoMetricsReader(PrometheusRunner prometheus, TimeSpan window, Func<(string Primary, string Canary)> pods)
{
    private const string Series = "http_request_duration_seconds";

    /// <summary>
    /// Pods are <c>&lt;deployment&gt;-&lt;hash&gt;-&lt;suffix&gt;</c>: one segment for podinfo's own pods, "primary-…" for
    /// the primary's.
    /// </summary>
    public static (string Primary, string Canary) DeploymentPods() =>
        ($"{DemoManifests.AppName}-primary-[0-9a-z]+-[0-9a-z]+", $"{DemoManifests.AppName}-[0-9a-z]+-[0-9a-z]+");

    /// <summary>The pods of Knative revision <paramref name="revision"/>: <c>&lt;revision&gt;-deployment-&lt;hash&gt;-&lt;suffix&gt;</c>.</summary>
    public static string RevisionPods(string revision) => $"{revision}-deployment-[0-9a-z]+-[0-9a-z]+";

    /// <summary>Both workloads' numbers now; a query that fails reads as "no data" rather than stopping the story.</summary>
    public async Task<MetricSample> ReadAsync(CancellationToken cancellationToken)
    {
        var (primary, canary) = pods();
        return new(await ReadAsync(primary, cancellationToken).ConfigureAwait(false), await ReadAsync(canary, cancellationToken).ConfigureAwait(false));
    }

    private async Task<WorkloadMetrics> ReadAsync(string pods, CancellationToken cancellationToken)
    {
        var range = $"{((long)window.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s";
        var selector = $"kubernetes_namespace=\"{DemoManifests.Namespace}\",kubernetes_pod_name=~\"{pods}\"";
        var successRate = $"sum(rate({Series}_count{{{selector},status!~\"5..\"}}[{range}])) / sum(rate({Series}_count{{{selector}}}[{range}])) * 100";
        var p99 = $"histogram_quantile(0.99, sum by (le) (rate({Series}_bucket{{{selector}}}[{range}]))) * 1000";
        return new WorkloadMetrics(await QueryAsync(successRate, cancellationToken).ConfigureAwait(false), await QueryAsync(p99, cancellationToken).ConfigureAwait(false));
    }

    private async Task<double?> QueryAsync(string promql, CancellationToken cancellationToken)
    {
        try
        {
            var value = await prometheus.QueryAsync(promql, cancellationToken).ConfigureAwait(false);
            return value is { } v && double.IsFinite(v) ? v : null;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
