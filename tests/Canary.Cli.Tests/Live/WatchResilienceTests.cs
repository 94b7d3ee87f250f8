using Canary.Api.V1Beta1;
using Canary.Cli.Tests.Support;

namespace Canary.Cli.Tests.Live;

using Cli = Canary.Cli.Tests.Support.Cli;

/// <summary>A server that cuts every watch stream shortly after it starts, so the CLI must re-list and watch again.</summary>
public sealed class WatchResilienceTests(LiveCluster cluster) : IClassFixture<LiveCluster>
{
    [Fact]
    public async Task Watch_and_a_control_survive_watch_streams_cut_every_300ms()
    {
        cluster.Server.Faults.DropWatchesAfter = TimeSpan.FromMilliseconds(300);
        var ns = await cluster.NewNamespaceAsync();
        var canary = await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), WatchCommandTests.Progressing(10));
        await using var watch = RunningCli.Start(["watch", "podinfo"], cluster.Env(ns));
        await watch.NextLineAsync(l => l.Contains("weight 10%", StringComparison.Ordinal));

        foreach (var weight in new[] { 20, 30, 40 })
        {
            await cluster.SetStatusAsync(ns, "podinfo", WatchCommandTests.Progressing(weight));
            await watch.NextLineAsync(l => l.Contains($"weight {weight}%", StringComparison.Ordinal));
        }

        await cluster.EventAsync(canary, $"Promotion completed! Scaling down podinfo.{ns}");
        await watch.NextLineAsync(l => l.Contains("Promotion completed!", StringComparison.Ordinal));
        await cluster.SetStatusAsync(ns, "podinfo", new CanaryStatus { Phase = CanaryPhase.Succeeded });
        Assert.Equal(0, (await watch.ExitAsync()).ExitCode);

        // A control's wait for the answer resumes the same way.
        var version = await cluster.RequestsVersionAsync(ns);
        var pause = Cli.RunAsync(["pause", "podinfo", "--timeout", "30s"], environment: cluster.Env(ns));
        var request = await cluster.NextRequestAsync(ns, version);
        await Task.Delay(TimeSpan.FromMilliseconds(700)); // let the CLI's first watch be cut at least once before the answer
        await cluster.AnswerAsync(request, CanaryControls.Accepted, "paused at weight 0");
        var run = await pause;
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("podinfo: pause accepted — paused at weight 0", run.Stdout.Trim());
    }
}
