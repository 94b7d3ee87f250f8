using Canary.Sandbox.Demo;
using Xunit.Abstractions;

namespace Canary.Sandbox.Tests.Demo;

/// <summary>Runs the whole demo story for one provider (own cluster, Prometheus and controller) and prints it to the test output.</summary>
internal static class DemoRun
{
    public static async Task<DemoReport> StoryAsync(string provider, ITestOutputHelper output)
    {
        var text = new StringWriter();
        var options = new DemoOptions { Profile = DemoProfile.For(provider) };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        DemoReport report;
        await using (var environment = await DemoEnvironment.StartAsync(options, timeout.Token))
        {
            var printer = new DemoPrinter(text, TimeProvider.System);
            printer.Environment(environment);
            report = await new DemoStory(environment, printer).RunAsync(timeout.Token);
            printer.Summary(report, options.Timings);
            if (!report.Succeeded)
            {
                foreach (var line in environment.ControllerLogs.Lines)
                {
                    text.WriteLine(line);
                }
            }
        }

        output.WriteLine(text.ToString());
        Assert.True(report.Succeeded, $"the story did not end as expected:{Environment.NewLine}{text}");
        Assert.Equal(StepOutcome.Initialized, report.Step("install").Actual);
        return report;
    }

    /// <summary>v3: failed success-rate checks up to the threshold, then traffic back to the primary.</summary>
    public static void AssertRolledBackOnErrors(StepReport v3, int threshold)
    {
        Assert.Equal(StepOutcome.RolledBack, v3.Actual);
        Assert.Equal(threshold, v3.MaxFailedChecks);
        Assert.Equal(0, v3.Weights[^1]);
        Assert.Contains(v3.Warnings, w => w.StartsWith("Halt podinfo.test advancement success rate", StringComparison.Ordinal));
        Assert.Contains($"Rolling back podinfo.test failed checks threshold reached {threshold}", v3.Warnings);
        Assert.True(v3.CanaryWorst.SuccessRate < 99, $"canary success rate {v3.CanaryWorst.SuccessRate}");
    }

    /// <summary>v4: only the request-duration check failed; rolled back with traffic on the primary.</summary>
    public static void AssertRolledBackOnLatency(StepReport v4, int threshold)
    {
        Assert.Equal(StepOutcome.RolledBack, v4.Actual);
        Assert.Equal(threshold, v4.MaxFailedChecks);
        Assert.Equal(0, v4.Weights[^1]);
        // Every threshold breach is the latency's (a "no values found" check while a scrape is late would be tolerated).
        var halts = v4.Warnings.Where(w => w.StartsWith("Halt", StringComparison.Ordinal) && !w.Contains("no values found", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(halts);
        Assert.All(halts, h => Assert.StartsWith("Halt podinfo.test advancement request duration", h, StringComparison.Ordinal));
        Assert.True(v4.CanaryWorst.P99Ms > 500, $"canary p99 {v4.CanaryWorst.P99Ms}");
    }
}
