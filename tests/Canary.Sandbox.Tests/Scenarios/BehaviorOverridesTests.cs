using Canary.Sandbox.Traffic;

namespace Canary.Sandbox.Tests.Scenarios;

public sealed class BehaviorOverridesTests
{
    [Fact]
    public void Later_overrides_merge_over_earlier_ones_per_workload()
    {
        var overrides = new BehaviorOverrides();
        overrides.Set("ns", "podinfo", new BehaviorOverride(ErrorRate: 0.03));
        overrides.Set("ns", "podinfo", new BehaviorOverride(LatencyP99: TimeSpan.FromSeconds(1)));

        Assert.Equal(new BehaviorOverride(0.03, null, TimeSpan.FromSeconds(1)), overrides.Get("ns", "podinfo"));
        Assert.Null(overrides.Get("ns", "podinfo-primary"));
        Assert.Null(overrides.Get("other", "podinfo"));
        Assert.True(overrides.Clear("ns", "podinfo"));
        Assert.Null(overrides.Get("ns", "podinfo"));
    }
}
