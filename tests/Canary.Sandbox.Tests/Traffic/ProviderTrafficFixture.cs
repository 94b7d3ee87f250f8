using System.Globalization;
using Canary.Api.Serialization;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Demo;
using Canary.Sandbox.Prometheus;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Traffic.Metrics;
using Canary.Sandbox.Workloads;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>
/// Every provider the demo supports, side by side in one cluster, each in its own namespace: podinfo as Flagger leaves
/// it mid-analysis (a healthy primary, a canary with <see cref="CanaryErrorRate"/> and a log-normal latency of
/// <see cref="CanaryP50Ms"/>/<see cref="CanaryP99Ms"/>), the routing objects the provider's router writes sending half
/// the users to the canary (kubernetes, blue/green: a load tester on podinfo-canary), real-time traffic, and one real
/// Prometheus scraping it all. The Canary of each namespace is the demo's (<see cref="DemoManifests.Canary"/>), so its
/// built-in metrics render exactly as the controller's.
/// </summary>
public sealed class ProviderTrafficFixture : IAsyncLifetime
{
    public const double CanaryErrorRate = 0.05;
    public const double CanaryP50Ms = 60;
    public const double CanaryP99Ms = 300;

    /// <summary>Client requests per second of each provider's users (half reach the canary).</summary>
    public const double UsersPerSecond = 2000;


    private readonly TrafficClusterFixture _cluster = new();
    private readonly Dictionary<string, string> _namespaces = new(StringComparer.Ordinal);
    private readonly Stack<IAsyncDisposable> _owned = new();

    public TrafficSimulator Simulator { get; private set; } = null!;

    public PrometheusRunner Prometheus { get; private set; } = null!;

    public string Namespace(string provider) => _namespaces[provider];

    /// <summary>The demo's Canary for <paramref name="provider"/>, in that provider's namespace, as the controller reads it.</summary>
    public CanaryResource Canary(string provider)
    {
        var json = DemoManifests.Canary(DemoProfile.For(provider), new DemoTimings());
        json["metadata"]!["namespace"] = Namespace(provider);
        return CanaryJson.Deserialize<CanaryResource>(json.ToJsonString());
    }

    public async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        var apps = new List<TrafficApp>();
        foreach (var provider in DemoProfile.Names)
        {
            var profile = DemoProfile.For(provider);
            var canary = new Dictionary<string, string>
            {
                [SandboxAnnotations.ErrorRate] = CanaryErrorRate.ToString(CultureInfo.InvariantCulture),
                [SandboxAnnotations.LatencyP50] = string.Create(CultureInfo.InvariantCulture, $"{CanaryP50Ms}ms"),
                [SandboxAnnotations.LatencyP99] = string.Create(CultureInfo.InvariantCulture, $"{CanaryP99Ms}ms"),
            };
            var primary = new Dictionary<string, string>
            {
                [SandboxAnnotations.ErrorRate] = "0",
                [SandboxAnnotations.LatencyP50] = "10ms",
                [SandboxAnnotations.LatencyP99] = "50ms",
            };

            // A Knative Service's revisions are the sides, split by the Service itself; the others get routing objects.
            var ns = profile.KnativeService
                ? await _cluster.KnativePodinfoAsync(canaryWeight: 50, canary, primary)
                : await _cluster.PodinfoAsync(canaryAnnotations: canary, primaryAnnotations: primary);
            _namespaces[provider] = ns;
            var users = new TrafficApp { Namespace = ns, Name = "podinfo", Provider = profile.Provider, RequestsPerSecond = UsersPerSecond, Ingress = profile.Ingress };
            apps.Add(users);
            if (!profile.KnativeService)
            {
                Objects.CreateRoutes(_cluster.Store, provider, ns, canaryWeight: 50);
            }
            if (provider == "kubernetes")
            {
                // Blue/green: the apex Service keeps the users on the primary; the canary sees the load tester's
                // requests to podinfo-canary (Flagger's tutorial, and the demo's clients).
                apps.Add(new TrafficApp { Namespace = ns, Name = "podinfo-canary", Provider = "kubernetes", RequestsPerSecond = UsersPerSecond / 2 });
            }
        }

        Simulator = Own(new TrafficSimulator(_cluster.Store, new TrafficSimulatorOptions { Seed = 20250601, Apps = apps }));
        await Simulator.StartAsync();
        var endpoint = Own(await TrafficMetricsEndpoint.StartAsync(Simulator));
        Prometheus = Own(await PrometheusRunner.StartAsync(endpoint.Url));
    }

    /// <summary>Waits (readiness, not timing) until <paramref name="countQuery"/> reaches <paramref name="minimum"/>; returns its value.</summary>
    public async Task<double> WaitForAsync(string countQuery, double minimum)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        double value;
        while ((value = await Prometheus.QueryAsync(countQuery, timeout.Token) ?? 0) < minimum)
        {
            Assert.Null(Simulator.LastError);
            await Task.Delay(250, timeout.Token);
        }

        return value;
    }

    public async Task DisposeAsync()
    {
        while (_owned.TryPop(out var part))
        {
            await part.DisposeAsync();
        }

        await _cluster.DisposeAsync();
    }

    private T Own<T>(T part)
        where T : IAsyncDisposable
    {
        _owned.Push(part);
        return part;
    }
}

/// <summary>The configured log-normal latency and what a data plane's histogram makes of it.</summary>
internal sealed record LogNormalLatency(double P50Ms, double P99Ms)
{
    private const double Z99 = 2.3263478740408408;

    private double Mu => Math.Log(P50Ms);

    private double Sigma => Math.Log(P99Ms / P50Ms) / Z99;

    public double Mean => Math.Exp(Mu + (Sigma * Sigma / 2));

    public double StandardDeviation => Mean * Math.Sqrt(Math.Exp(Sigma * Sigma) - 1);

    public double Cdf(double ms) => ms <= 0 ? 0 : NormalCdf((Math.Log(ms) - Mu) / Sigma);

    /// <summary>
    /// What Prometheus' <c>histogram_quantile</c> returns for quantile <paramref name="q"/> of this distribution, observed
    /// without noise in buckets with upper bounds <paramref name="boundsMs"/>: linear interpolation inside the bucket.
    /// </summary>
    public double HistogramQuantile(double q, IReadOnlyList<double> boundsMs) => Interpolate(q, boundsMs, Cdf);

    /// <summary>
    /// The same over <paramref name="n"/> observations whose cumulative share at every bound is off by
    /// <paramref name="sigmas"/> binomial standard deviations (positive: more below each bound, a lower estimate).
    /// </summary>
    public double HistogramQuantile(double q, IReadOnlyList<double> boundsMs, double sigmas, double n) =>
        Interpolate(q, boundsMs, ms => Math.Clamp(Cdf(ms) + (sigmas * Math.Sqrt(Cdf(ms) * (1 - Cdf(ms)) / n)), 0, 1));

    /// <summary>Prometheus' bucket interpolation of quantile <paramref name="q"/> for any cumulative share function.</summary>
    public static double Interpolate(double q, IReadOnlyList<double> boundsMs, Func<double, double> cumulativeShare)
    {
        var lower = 0.0;
        var below = 0.0;
        foreach (var upper in boundsMs)
        {
            var atUpper = cumulativeShare(upper);
            if (atUpper >= q)
            {
                return lower + ((upper - lower) * (q - below) / (atUpper - below));
            }

            (lower, below) = (upper, atUpper);
        }

        return lower;
    }

    // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), plenty for tail shares of a percent.
    private static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + (0.3275911 * x));
        var erfc = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429)))))))) * Math.Exp(-x * x);
        return z >= 0 ? 1 - (erfc / 2) : erfc / 2;
    }
}
