using Canary.Api.V1Beta1;
using Canary.Sandbox.Demo;
using Xunit.Abstractions;

namespace Canary.Sandbox.Tests.Demo;

// One class per provider: xunit runs classes in parallel. Each story mostly waits on analysis intervals, so several
// clusters, Prometheus servers and controllers side by side fit two cores. The story is written once, in the base class.

/// <summary>The demo story through one provider: v2 promoted in 20% steps to 60%, v3 and v4 rolled back.</summary>
public abstract class ProviderStoryTests(string provider, ITestOutputHelper output)
{
    [Fact]
    public async Task Promotes_v2_and_rolls_back_v3_on_errors_and_v4_on_latency()
    {
        var report = await DemoRun.StoryAsync(provider, output);
        CanaryStory.AssertSteps(report);
    }
}

/// <summary>Through Gateway API (HTTPRoute weights, Envoy cluster metrics).</summary>
public sealed class GatewayApiStoryTests(ITestOutputHelper output) : ProviderStoryTests("gatewayapi", output);

/// <summary>Through NGINX (canary Ingress, mean latency).</summary>
public sealed class NginxStoryTests(ITestOutputHelper output) : ProviderStoryTests("nginx", output);

/// <summary>Through Istio (VirtualService weights, destination metrics).</summary>
public sealed class IstioStoryTests(ITestOutputHelper output) : ProviderStoryTests("istio", output);

/// <summary>Through Linkerd (SMI TrafficSplit weights, the proxies' response_total / response_latency_ms).</summary>
public sealed class LinkerdStoryTests(ITestOutputHelper output) : ProviderStoryTests("linkerd", output);

/// <summary>Through an SMI v1alpha1 TrafficSplit (quantity weights) with a controller on smi:v1alpha1:linkerd (Linkerd's metrics).</summary>
public sealed class SmiV1Alpha1StoryTests(ITestOutputHelper output) : ProviderStoryTests("smi:v1alpha1", output);

/// <summary>Through an SMI v1alpha2 TrafficSplit with a controller on smi:v1alpha2:linkerd.</summary>
public sealed class SmiV1Alpha2StoryTests(ITestOutputHelper output) : ProviderStoryTests("smi:v1alpha2", output);

/// <summary>Through an SMI v1alpha3 TrafficSplit with a controller on smi:v1alpha3:linkerd.</summary>
public sealed class SmiV1Alpha3StoryTests(ITestOutputHelper output) : ProviderStoryTests("smi:v1alpha3", output);

/// <summary>Through Contour (HTTPProxy weights, Envoy cluster metrics).</summary>
public sealed class ContourStoryTests(ITestOutputHelper output) : ProviderStoryTests("contour", output);

/// <summary>Through Traefik (TraefikService weights, Traefik's service metrics).</summary>
public sealed class TraefikStoryTests(ITestOutputHelper output) : ProviderStoryTests("traefik", output);

/// <summary>Through Skipper (the canary Ingress' backend weights, Skipper's route metrics, mean latency).</summary>
public sealed class SkipperStoryTests(ITestOutputHelper output) : ProviderStoryTests("skipper", output);

/// <summary>Through Kuma (a cluster-scoped TrafficRoute, the data-plane proxies' Envoy metrics).</summary>
public sealed class KumaStoryTests(ITestOutputHelper output) : ProviderStoryTests("kuma", output);

/// <summary>Through Gloo Edge (a RouteTable over two generated Upstreams, Envoy cluster metrics per upstream).</summary>
public sealed class GlooStoryTests(ITestOutputHelper output) : ProviderStoryTests("gloo", output);

/// <summary>Through Knative (the user's Knative Service split between its latest and primary revisions, Envoy cluster metrics per revision).</summary>
public sealed class KnativeStoryTests(ITestOutputHelper output) : ProviderStoryTests("knative", output);

/// <summary>
/// Through APISIX (the canary ApisixRoute's backend weights). Its metrics are the canary route's mix of both versions
/// and there is no judge, so the thresholds see a bad version late (the 10 s metric window still holds the steps
/// before): v3 and v4 may climb to the last step before they are rolled back, but never get promoted.
/// </summary>
public sealed class ApisixStoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Promotes_v2_and_rolls_back_v3_on_errors_and_v4_on_latency()
    {
        var report = await DemoRun.StoryAsync("apisix", output);
        var timings = new DemoTimings();
        var v2 = report.Step("v2");
        Assert.Equal(StepOutcome.Promoted, v2.Actual);
        Assert.Equal([20, 40, 60], v2.Weights.Where(w => w > 0));
        Assert.Equal(0, v2.Weights[^1]);

        foreach (var (step, metric) in new[] { ("v3", "request-success-rate"), ("v4", "request-duration") })
        {
            var release = report.Step(step);
            Assert.Equal(StepOutcome.RolledBack, release.Actual);
            Assert.InRange(release.MaxFailedChecks, 1, timings.Threshold);
            Assert.Equal(0, release.Weights[^1]);
            Assert.All(release.Weights, w => Assert.Contains(w, new[] { 0, 20, 40, 60 }));
            Assert.Contains(release.Checks, c => c.Metric == metric && c.Verdict == CheckVerdicts.Fail);
            Assert.Contains(release.Warnings, w => w.StartsWith("Halt podinfo.test advancement", StringComparison.Ordinal));
            Assert.Contains(release.Warnings, w => w.StartsWith("Rolling back podinfo.test", StringComparison.Ordinal));
        }
    }
}

/// <summary>
/// `./sandbox.sh demo --metrics influxdb|graphite`: the checks are MetricTemplates over the totals the app pushes to a
/// real InfluxDB 1.x (InfluxQL) or Graphite (render targets), thresholds only: v3 fails the success rate, v4 the mean duration.
/// </summary>
public abstract class MetricStoreStoryTests(string store, ITestOutputHelper output)
{
    [Fact]
    public async Task Promotes_v2_and_rolls_back_v3_on_errors_and_v4_on_latency_from_the_store()
    {
        var report = await DemoRun.StoryAsync("gatewayapi", output, store);
        var v2 = report.Step("v2");
        Assert.Equal(StepOutcome.Promoted, v2.Actual);
        Assert.Equal([20, 40, 60], v2.Weights.Where(w => w > 0));
        foreach (var (step, metric) in new[] { ("v3", "request-success-rate"), ("v4", "request-duration") })
        {
            var release = report.Step(step);
            Assert.Equal(StepOutcome.RolledBack, release.Actual);
            Assert.Equal(0, release.Weights[^1]);
            Assert.Contains(release.Checks, c => c.Metric == metric && c.Verdict == CheckVerdicts.Fail);
            Assert.Contains(release.Warnings, w => w.StartsWith($"Halt podinfo.test advancement {metric}", StringComparison.Ordinal));
        }
    }
}

/// <summary>Checks on a real InfluxDB 1.x (InfluxQL).</summary>
public sealed class InfluxDbStoryTests(ITestOutputHelper output) : MetricStoreStoryTests(DemoProfile.InfluxDbMetrics, output);

/// <summary>Checks on a real Graphite (carbon-cache and graphite-web).</summary>
public sealed class GraphiteStoryTests(ITestOutputHelper output) : MetricStoreStoryTests(DemoProfile.GraphiteMetrics, output);

internal static class CanaryStory
{
    public static void AssertSteps(DemoReport report)
    {
        var timings = new DemoTimings();
        Assert.False(report.BlueGreen);
        var v2 = report.Step("v2");
        Assert.Equal(StepOutcome.Promoted, v2.Actual);
        Assert.Equal([20, 40, 60], v2.Weights.Where(w => w > 0));
        Assert.Equal(0, v2.Weights[^1]);
        Assert.Contains(CanaryPhase.Promoting, v2.Phases);
        Assert.True(v2.MaxFailedChecks < timings.Threshold);

        DemoRun.AssertRolledBackOnErrors(report.Step("v3"), timings.Threshold);
        DemoRun.AssertRolledBackOnLatency(report.Step("v4"), timings.Threshold);
    }
}
