using Canary.Api.V1Beta1;
using Canary.Sandbox.Demo;
using Xunit.Abstractions;

namespace Canary.Sandbox.Tests.Demo;

/// <summary>
/// The demo story with the kubernetes provider: blue/green iterations, then the apex Service switches; the canary's only
/// traffic is canary-loadtester's, called by a rollout webhook as in Flagger's tutorial.
/// </summary>
public sealed class BlueGreenStoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Promotes_v2_after_its_iterations_and_rolls_back_v3_on_errors_and_v4_on_latency()
    {
        string? testerMetrics = null;
        var report = await DemoRun.StoryAsync("kubernetes", output, afterwards: async environment =>
        {
            using var http = new HttpClient();
            testerMetrics = await http.GetStringAsync(new Uri(environment.LoadTesterUrl!, "/metrics"));
        });
        var timings = new DemoTimings();
        Assert.True(report.BlueGreen);

        var v2 = report.Step("v2");
        Assert.Equal(StepOutcome.Promoted, v2.Actual);
        Assert.Equal([.. Enumerable.Range(1, timings.Iterations)], v2.Iterations.Where(i => i > 0).Take(timings.Iterations));
        Assert.Contains(CanaryPhase.Promoting, v2.Phases);
        Assert.All(v2.Weights, w => Assert.Equal(0, w));

        DemoRun.AssertRolledBackOnErrors(report.Step("v3"), timings.Threshold);
        DemoRun.AssertRolledBackOnLatency(report.Step("v4"), timings.Threshold);

        // The canary's traffic was the real load tester's, through a rollout webhook and the Service proxy: v2's and v4's
        // requests answered 200, v3's half 500.
        Assert.NotNull(testerMetrics);
        Assert.Matches("canary_loadtester_requests_total\\{[^}]*code=\"200\"[^}]*\\} [1-9]", testerMetrics);
        Assert.Matches("canary_loadtester_requests_total\\{[^}]*code=\"500\"[^}]*\\} [1-9]", testerMetrics);
    }
}
