using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Patching;
using Canary.Sandbox.Traffic;
using Xunit.Abstractions;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>
/// The Linkerd data plane's reading of SMI TrafficSplits, every version and provider spelling, over simulated minutes
/// (fake clock, fixed seed): shares proportional to weights that need not sum to 100, v1alpha1 quantities, the split
/// found by <c>spec.service</c>, all-zero weights, edits followed.
/// </summary>
public sealed class TrafficSplitTests(TrafficClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TrafficClusterFixture>
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static bool SplitSeen(IReadOnlyList<SegmentRoute> routes) =>
        routes[0].LocalStatus is null && routes[0].Backends.Count == 2 && routes[0].Backends.All(b => b.ReadyPods > 0);

    private static double ShareOf(IReadOnlyList<SegmentRoute> routes, string service) =>
        routes[0].Backends.SingleOrDefault(b => b.Service == service)?.Share ?? 0;

    [Theory]
    [InlineData("linkerd", "v1alpha1", "\"900m\"", "\"300m\"", 0.25)]
    [InlineData("smi:v1alpha1:linkerd", "v1alpha1", "\"1k\"", "\"250\"", 0.2)]
    [InlineData("smi:v1alpha1", "v1alpha1", "60", "40", 0.4)]
    [InlineData("SMI:V1Alpha2:Linkerd", "v1alpha2", "3", "1", 0.25)]
    [InlineData("smi:v1alpha3", "v1alpha3", "10", "30", 0.75)]
    public async Task Each_version_splits_in_proportion_to_its_weights(string provider, string version, string primaryWeight, string canaryWeight, double canaryShare)
    {
        var ns = await fixture.PodinfoAsync();
        var split = Objects.TrafficSplit(ns, version, 0, 0);
        split["spec"]!["backends"]![0]!["weight"] = JsonNode.Parse(canaryWeight);
        split["spec"]!["backends"]![1]!["weight"] = JsonNode.Parse(primaryWeight);
        fixture.Store.Create(Objects.TrafficSplits with { Version = version }, ns, split);
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = provider, RequestsPerSecond = 100 });
        await run.WaitForRoutesAsync(SplitSeen);

        var stats = run.Run(Minute);

        var canary = stats.ByWorkload("podinfo");
        output.WriteLine($"{provider} {version} canary {canaryWeight} / primary {primaryWeight}: {canary}/{stats.Total}");
        Assert.Equal(stats.Total, canary + stats.ByWorkload("podinfo-primary"));
        Stats.AssertBinomial(canary, stats.Total, canaryShare, $"{provider} canary share");
    }

    [Fact]
    public async Task Weight_edits_are_followed_and_all_zero_weights_are_answered_500_by_the_proxy()
    {
        var ns = await fixture.PodinfoAsync();
        fixture.Store.Create(Objects.TrafficSplits with { Version = "v1alpha3" }, ns, Objects.TrafficSplit(ns, "v1alpha3", 100, 0));
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = "smi:v1alpha3", RequestsPerSecond = 100 });
        await run.WaitForRoutesAsync(r => SplitSeen(r) && ShareOf(r, "podinfo-primary") == 1);
        var allPrimary = run.Run(Minute);
        Assert.Equal(allPrimary.Total, allPrimary.ByWorkload("podinfo-primary"));

        Patch(ns, "v1alpha3", primary: 40, canary: 60);
        await run.WaitForRoutesAsync(r => SplitSeen(r) && Math.Abs(ShareOf(r, "podinfo-canary") - 0.6) < 1e-9);
        var edited = run.Run(Minute);
        Stats.AssertBinomial(edited.ByWorkload("podinfo"), edited.Total, 0.6, "canary share after the edit");

        Patch(ns, "v1alpha3", primary: 0, canary: 0);
        await run.WaitForRoutesAsync(r => r[0].LocalStatus == 500);
        var zero = run.Run(Minute);
        Assert.True(zero.Total > 0);
        Assert.Equal(zero.Total, zero.Count(k => k.StatusCode == 500 && k.Workload.Length == 0));
    }

    [Fact]
    public async Task The_split_is_found_by_its_root_service_not_by_its_name()
    {
        var ns = await fixture.PodinfoAsync();

        // Named after the apex but splitting another Service: requests to the apex keep to its selector (the primary).
        // Created before the simulator starts, which returns once its caches hold the cluster's state.
        var elsewhere = Objects.TrafficSplit(ns, "v1alpha2", 0, 100);
        elsewhere["spec"]!["service"] = "podinfo.example.com";
        fixture.Store.Create(Objects.TrafficSplits with { Version = "v1alpha2" }, ns, elsewhere);
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = "linkerd", RequestsPerSecond = 100 });
        await run.WaitForRoutesAsync(r => r[0].Backends.Count == 1 && r[0].Backends[0].ReadyPods > 0);
        var apexOnly = run.Run(Minute);
        Assert.Equal(apexOnly.Total, apexOnly.ByWorkload("podinfo-primary"));

        // Another name, the apex as root service: Linkerd applies it.
        var renamed = Objects.TrafficSplit(ns, "v1alpha2", 50, 50);
        renamed["metadata"]!["name"] = "podinfo-rollout";
        fixture.Store.Create(Objects.TrafficSplits with { Version = "v1alpha2" }, ns, renamed);
        await run.WaitForRoutesAsync(SplitSeen);
        var split = run.Run(Minute);
        Stats.AssertBinomial(split.ByWorkload("podinfo"), split.Total, 0.5, "canary share of the renamed split");
    }

    [Theory]
    [InlineData("smi")]
    [InlineData("smi:v1beta1")]
    [InlineData("smi:v1alpha4")]
    [InlineData("smi:v1alpha2:linkerd:extra")]
    [InlineData("linkerd:v1alpha1")]
    public void Other_smi_spellings_are_refused(string provider)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new TrafficSimulator(fixture.Store, new TrafficSimulatorOptions { Apps = [new TrafficApp { Namespace = "default", Name = "podinfo", Provider = provider }] }));
        Assert.Contains(provider, error.Message, StringComparison.Ordinal);
    }

    private void Patch(string ns, string version, int primary, int canary) =>
        fixture.Store.Patch(Objects.TrafficSplits with { Version = version }, ns, "podinfo", PatchType.Merge,
            new JsonObject { ["spec"] = Objects.TrafficSplit(ns, version, primary, canary)["spec"]!.DeepClone() });
}
