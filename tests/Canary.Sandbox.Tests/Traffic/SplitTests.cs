using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Patching;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Traffic;
using Xunit.Abstractions;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>The simulator's split matches the routing objects, per provider, over a simulated minute at 100 rps.</summary>
public sealed class SplitTests(TrafficClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TrafficClusterFixture>
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static bool AllBackendsReady(IReadOnlyList<SegmentRoute> routes) =>
        routes.All(r => r.LocalStatus is null && r.Backends.Count > 0 && r.Backends.All(b => b.ReadyPods > 0));

    [Theory]
    [InlineData("gatewayapi")]
    [InlineData("nginx")]
    [InlineData("istio")]
    [InlineData("linkerd")]
    [InlineData("smi:v1alpha2")]
    [InlineData("smi:v1alpha3:linkerd")]
    [InlineData("traefik")]
    [InlineData("skipper")]
    [InlineData("kuma")]
    [InlineData("gloo")]
    public async Task Weight_80_20_sends_a_fifth_to_the_canary(string provider)
    {
        var ns = await fixture.PodinfoAsync();
        switch (provider)
        {
            case "gatewayapi":
                fixture.Store.Create(Objects.HttpRoutes, ns, Objects.HttpRoute(ns, 80, 20));
                break;
            case "nginx":
                fixture.Store.Create(BuiltInResources.Ingresses, ns, Objects.Ingress(ns, "podinfo", "podinfo"));
                fixture.Store.Create(BuiltInResources.Ingresses, ns, Objects.Ingress(ns, "podinfo-canary", "podinfo-canary", new() { ["canary"] = "true", ["canary-weight"] = "20" }));
                break;
            case "linkerd":
                fixture.Store.Create(Objects.TrafficSplits, ns, Objects.TrafficSplit(ns, "v1alpha1", 80, 20));
                break;
            case "traefik":
                fixture.Store.Create(Objects.TraefikServices, ns, Objects.TraefikService(ns, 80, 20));
                break;
            case "skipper" or "kuma" or "gloo":
                Objects.CreateRoutes(fixture.Store, provider, ns, 20);
                break;
            case "smi:v1alpha2" or "smi:v1alpha3:linkerd":
                var version = provider.Split(':')[1];
                fixture.Store.Create(Objects.TrafficSplits with { Version = version }, ns, Objects.TrafficSplit(ns, version, 80, 20));
                break;
            default:
                fixture.Store.Create(Objects.VirtualServices, ns, Objects.VirtualService(ns, 80, 20));
                break;
        }

        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = provider, RequestsPerSecond = 100 });
        await run.WaitForRoutesAsync(r => AllBackendsReady(r) && r[0].Backends.Count == 2);

        var stats = run.Run(Minute);

        var canary = stats.ByWorkload("podinfo");
        Report($"{provider} 80/20", canary, stats.Total);
        Assert.Equal(stats.Total, canary + stats.ByWorkload("podinfo-primary"));
        Stats.AssertPoisson(stats.Total, 6000, $"{provider} requests in a minute at 100 rps");
        Stats.AssertBinomial(canary, stats.Total, 0.20, $"{provider} canary share");
    }

    [Fact]
    public async Task HttpRoute_AB_header_and_cookie_send_exactly_the_matching_requests_to_the_canary()
    {
        var ns = await fixture.PodinfoAsync();
        fixture.Store.Create(Objects.HttpRoutes, ns, Objects.HttpRouteAb(ns));
        var header = RequestSegment.WithHeader("X-Canary", "insider", 0.25);
        var cookie = RequestSegment.WithCookie("canary", "always", 0.10);
        var otherCookie = RequestSegment.WithCookie("canary", "never", 0.05);
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp
        {
            Namespace = ns, Name = "podinfo", Provider = "gatewayapi", RequestsPerSecond = 100, Segments = [header, cookie, otherCookie],
        });
        await run.WaitForRoutesAsync(AllBackendsReady);

        var stats = run.Run(Minute);

        var matching = stats.Count(k => k.Segment == header.Name || k.Segment == cookie.Name);
        var canary = stats.ByWorkload("podinfo");
        Report("gatewayapi A/B (25% header + 10% cookie)", canary, stats.Total);
        Assert.Equal(matching, canary);
        Assert.Equal(matching, stats.Count(k => (k.Segment == header.Name || k.Segment == cookie.Name) && k.Workload == "podinfo"));
        Stats.AssertBinomial(matching, stats.Total, 0.35, "matching share");
    }

    [Fact]
    public async Task Nginx_by_header_and_by_cookie_follow_ingress_nginx_precedence()
    {
        var ns = await fixture.PodinfoAsync();
        fixture.Store.Create(BuiltInResources.Ingresses, ns, Objects.Ingress(ns, "podinfo", "podinfo"));
        fixture.Store.Create(BuiltInResources.Ingresses, ns, Objects.Ingress(ns, "podinfo-canary", "podinfo-canary", new()
        {
            ["canary"] = "true",
            ["canary-weight"] = "50",
            ["canary-by-header"] = "x-canary",
            ["canary-by-header-pattern"] = ".*insider.*",
            ["canary-by-cookie"] = "canary",
        }));
        RequestSegment[] segments =
        [
            RequestSegment.WithHeader("x-canary", "the-insiders", 0.2),
            RequestSegment.WithCookie("canary", "always", 0.2),
            RequestSegment.WithCookie("canary", "never", 0.2),
        ];
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = "nginx", RequestsPerSecond = 100, Segments = segments });
        await run.WaitForRoutesAsync(r => AllBackendsReady(r) && r.Any(s => s.Backends.Count == 2));

        var stats = run.Run(Minute);

        long In(string segment, string workload) => stats.Count(k => k.Segment == segment && k.Workload == workload);
        Assert.Equal(0, In(segments[0].Name, "podinfo-primary"));
        Assert.Equal(0, In(segments[1].Name, "podinfo-primary"));
        Assert.Equal(0, In(segments[2].Name, "podinfo"));
        var plainCanary = In(RequestSegment.DefaultName, "podinfo");
        var plain = stats.Count(k => k.Segment == RequestSegment.DefaultName);
        Report("nginx canary-weight 50 on requests without header/cookie", plainCanary, plain);
        Stats.AssertBinomial(plainCanary, plain, 0.5, "weight share of undecided requests");
    }

    [Fact]
    public async Task Istio_mirror_copies_a_share_to_the_canary_without_serving_clients_from_it()
    {
        var ns = await fixture.PodinfoAsync();
        fixture.Store.Create(Objects.VirtualServices, ns, Objects.VirtualService(ns, 100, 0, mirrorPercent: 25));
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = "istio", RequestsPerSecond = 100 });
        await run.WaitForRoutesAsync(r => AllBackendsReady(r) && r[0].Mirrors.Count == 1);

        var stats = run.Run(Minute);

        Assert.Equal(0, stats.ByWorkload("podinfo"));
        Assert.Equal(stats.Total, stats.ByWorkload("podinfo-primary"));
        var mirrored = stats.MirroredTo("podinfo");
        Report("istio mirror 25%", mirrored, stats.Total);
        Stats.AssertBinomial(mirrored, stats.Total, 0.25, "mirrored share");
    }

    [Fact]
    public async Task TrafficSplit_weights_are_read_as_quantities_and_without_a_split_the_apex_selector_decides()
    {
        var ns = await fixture.PodinfoAsync();
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = "linkerd", RequestsPerSecond = 100 });

        // No TrafficSplit yet: the apex Service (selecting the primary's pods) takes everything.
        await run.WaitForRoutesAsync(r => AllBackendsReady(r) && r[0].Backends.Count == 1);
        var before = run.Run(Minute);
        Assert.Equal(before.Total, before.ByWorkload("podinfo-primary"));

        // Quantities: "500m" is half of "1" (a third of the traffic to the canary).
        var split = Objects.TrafficSplit(ns, "v1alpha1", 0, 0);
        split["spec"]!["backends"]![0]!["weight"] = "500m";
        split["spec"]!["backends"]![1]!["weight"] = "1";
        fixture.Store.Create(Objects.TrafficSplits, ns, split);
        await run.WaitForRoutesAsync(r => AllBackendsReady(r) && r[0].Backends.Count == 2);
        var stats = run.Run(Minute);
        Stats.AssertBinomial(stats.ByWorkload("podinfo"), stats.Total, 1.0 / 3, "linkerd canary share at 500m:1");
    }

    [Fact]
    public async Task Kubernetes_apex_selector_switches_all_traffic()
    {
        var ns = await fixture.PodinfoAsync();
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = "kubernetes", RequestsPerSecond = 50 });
        await run.WaitForRoutesAsync(r => r[0].Backends[0].Workloads.SequenceEqual(["podinfo-primary"]));

        var before = run.Run(TimeSpan.FromSeconds(20));
        fixture.Store.Patch(BuiltInResources.Services, ns, "podinfo", PatchType.Merge, JsonNode.Parse("""{"spec":{"selector":{"app":"podinfo"}}}""")!);
        await run.WaitForRoutesAsync(r => r[0].Backends[0].Workloads.SequenceEqual(["podinfo"]));
        var after = run.Run(TimeSpan.FromSeconds(20));

        Assert.True(before.Total > 0 && after.Total > 0);
        Assert.Equal(before.Total, before.ByWorkload("podinfo-primary"));
        Assert.Equal(after.Total, after.ByWorkload("podinfo"));
    }

    [Fact]
    public async Task Canary_without_ready_pods_answers_503_for_its_share()
    {
        var ns = await fixture.PodinfoAsync(canaryReplicas: 0);
        fixture.Store.Create(Objects.HttpRoutes, ns, Objects.HttpRoute(ns, 50, 50));
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = "gatewayapi", RequestsPerSecond = 100 });
        await run.WaitForRoutesAsync(r => r[0].Backends.Count == 2);

        var stats = run.Run(TimeSpan.FromSeconds(20));

        var unavailable = stats.Count(k => k.Service == "podinfo-canary" && k.StatusCode == 503 && k.Workload.Length == 0);
        Assert.Equal(0, stats.ByWorkload("podinfo"));
        Assert.Equal(stats.Total, unavailable + stats.ByWorkload("podinfo-primary"));
        Stats.AssertBinomial(unavailable, stats.Total, 0.5, "503 share");
    }

    private void Report(string what, long hits, long total) =>
        output.WriteLine($"{what}: {hits}/{total} = {(double)hits / total:P2}");
}
