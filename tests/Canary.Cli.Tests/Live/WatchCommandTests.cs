using System.Text.RegularExpressions;
using Canary.Api.V1Beta1;
using Canary.Cli.Tests.Support;
using k8s;

namespace Canary.Cli.Tests.Live;

using Cli = Canary.Cli.Tests.Support.Cli;

/// <summary>
/// <c>watch</c> against a live API server, the test playing the controller: it writes each step's status and Event,
/// waits for the line the CLI prints for it, then takes the next step.
/// </summary>
public sealed class WatchCommandTests(LiveCluster cluster) : IClassFixture<LiveCluster>
{
    [Fact]
    public async Task Watch_prints_a_line_per_change_and_exits_0_when_the_rollout_is_promoted()
    {
        var ns = await cluster.NewNamespaceAsync();
        var canary = await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), Progressing(10));
        await cluster.EventAsync(canary, $"New revision detected! Scaling up podinfo.{ns}", time: DateTime.UtcNow.AddSeconds(-2));
        await cluster.EventAsync(canary, $"Advance podinfo.{ns} canary weight 10");
        await using var watch = RunningCli.Start(["watch", "podinfo"], cluster.Env(ns));

        var first = await watch.NextLineAsync(l => l.Contains("Progressing", StringComparison.Ordinal));
        Assert.Matches($@"^\d\d:\d\d:\d\d  Progressing\s+weight 10% \(step 1/5\)\s+failed 0/5\s+Advance podinfo.{ns} canary weight 10$", first);

        await cluster.SetStatusAsync(ns, "podinfo", Progressing(20));
        Assert.Matches(@"weight 20% \(step 2/5\)\s+failed 0/5\s+Advance .* canary weight 10$", await watch.NextLineAsync(l => l.Contains("weight 20%", StringComparison.Ordinal)));

        await cluster.EventAsync(canary, $"Advance podinfo.{ns} canary weight 20");
        await watch.NextLineAsync(l => l.EndsWith("canary weight 20", StringComparison.Ordinal));

        await cluster.SetStatusAsync(ns, "podinfo", Progressing(20, failed: 1));
        await watch.NextLineAsync(l => l.Contains("failed 1/5", StringComparison.Ordinal));

        await cluster.SetStatusAsync(ns, "podinfo", Progressing(20, failed: 1, paused: true));
        await watch.NextLineAsync(l => l.Contains("Progressing (paused)", StringComparison.Ordinal));

        await cluster.SetStatusAsync(ns, "podinfo", new CanaryStatus { Phase = CanaryPhase.Promoting, CanaryWeight = 50 });
        await watch.NextLineAsync(l => l.Contains("Promoting", StringComparison.Ordinal));
        await cluster.EventAsync(canary, $"Copying podinfo.{ns} template spec to podinfo-primary.{ns}");
        await watch.NextLineAsync(l => l.Contains("Promoting", StringComparison.Ordinal) && l.Contains("Copying", StringComparison.Ordinal));
        await cluster.EventAsync(canary, $"Promotion completed! Scaling down podinfo.{ns}");
        await watch.NextLineAsync(l => l.Contains("Promotion completed!", StringComparison.Ordinal));

        await cluster.SetStatusAsync(ns, "podinfo", new CanaryStatus { Phase = CanaryPhase.Succeeded, CanaryWeight = 0 });
        var run = await watch.ExitAsync();

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        // One line per change: time, phase, weight and step, failed checks, last Event.
        Assert.All(run.Stdout.Split('\n'), l => Assert.Matches(@"^\d\d:\d\d:\d\d  \S", l));
        Assert.Equal(
            [
                $"Progressing weight 10% (step 1/5) failed 0/5 Advance podinfo.{ns} canary weight 10",
                $"Progressing weight 20% (step 2/5) failed 0/5 Advance podinfo.{ns} canary weight 10",
                $"Progressing weight 20% (step 2/5) failed 0/5 Advance podinfo.{ns} canary weight 20",
                $"Progressing weight 20% (step 2/5) failed 1/5 Advance podinfo.{ns} canary weight 20",
                $"Progressing (paused) weight 20% (step 2/5) failed 1/5 Advance podinfo.{ns} canary weight 20",
                $"Promoting weight 50% (step 5/5) failed 0/5 Advance podinfo.{ns} canary weight 20",
                $"Promoting weight 50% (step 5/5) failed 0/5 Copying podinfo.{ns} template spec to podinfo-primary.{ns}",
                $"Promoting weight 50% (step 5/5) failed 0/5 Promotion completed! Scaling down podinfo.{ns}",
                $"Succeeded weight 0% failed 0/5 Promotion completed! Scaling down podinfo.{ns}",
            ],
            run.Stdout.Split('\n').Select(l => Regex.Replace(l[10..], @"\s+", " ")));
    }

    [Fact]
    public async Task Watch_exits_1_when_the_rollout_is_rolled_back()
    {
        var ns = await cluster.NewNamespaceAsync();
        var canary = await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), Progressing(10, failed: 4));
        await using var watch = RunningCli.Start(["watch", "podinfo", "-n", ns], cluster.Env("default"));
        await watch.NextLineAsync(l => l.Contains("failed 4/5", StringComparison.Ordinal));

        await cluster.EventAsync(canary, $"Rolling back podinfo.{ns} failed checks threshold reached 5", "Warning");
        await watch.NextLineAsync(l => l.Contains("Rolling back", StringComparison.Ordinal));
        await cluster.EventAsync(canary, $"Canary failed! Scaling down podinfo.{ns}", "Warning");
        await watch.NextLineAsync(l => l.Contains("Canary failed!", StringComparison.Ordinal));
        await cluster.SetStatusAsync(ns, "podinfo", new CanaryStatus { Phase = CanaryPhase.Failed, CanaryWeight = 0, FailedChecks = 5 });
        var run = await watch.ExitAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"Failed\s+weight 0%\s+failed 5/5\s+Canary failed! Scaling down", run.Stdout.Split('\n')[^1]);
    }

    [Fact]
    public async Task Watch_ends_with_exit_code_1_and_a_message_when_the_canary_is_deleted()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), Progressing(30));
        await using var watch = RunningCli.Start(["watch", "podinfo"], cluster.Env(ns));
        await watch.NextLineAsync(l => l.Contains("weight 30%", StringComparison.Ordinal));

        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(CanaryApi.Group, CanaryApi.Version, ns, "canaries", "podinfo");
        var run = await watch.ExitAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"canary {ns}/podinfo was deleted", run.Stderr.Trim());
    }

    [Theory]
    [InlineData(CanaryPhase.Succeeded, 0)]
    [InlineData(CanaryPhase.Initialized, 0)]
    [InlineData(CanaryPhase.Failed, 1)]
    public async Task Watch_of_an_idle_canary_prints_the_screen_once_and_exits_with_its_state(CanaryPhase phase, int exitCode)
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), new CanaryStatus { Phase = phase, CanaryWeight = 0 });

        var run = await Cli.RunAsync(["watch", "podinfo"], environment: cluster.Env(ns));

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Contains($"Phase:          {phase}", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Events:", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_of_a_canary_that_does_not_exist_fails_at_once()
    {
        var ns = await cluster.NewNamespaceAsync();

        var run = await Cli.RunAsync(["watch", "nope"], environment: cluster.Env(ns));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("canary \"nope\" not found", run.Stderr, StringComparison.Ordinal);
    }

    internal static CanaryStatus Progressing(int weight, int failed = 0, bool paused = false) => new()
    {
        Phase = CanaryPhase.Progressing,
        CanaryWeight = weight,
        FailedChecks = failed,
        Paused = paused ? true : null,
    };
}
