using Canary.Api.V1Beta1;
using Canary.Cli.Tests.Support;

namespace Canary.Cli.Tests.Live;

using Cli = Canary.Cli.Tests.Support.Cli;

/// <summary><c>kubectl canary ...</c> through the real kubectl, which finds the plugin as an executable named kubectl-canary on PATH.</summary>
public sealed class KubectlPluginTests(LiveCluster cluster) : IClassFixture<LiveCluster>
{
    private const string Kubectl = "/usr/bin/kubectl";

    [Fact]
    public async Task Kubectl_canary_help_lists_the_commands()
    {
        var run = await Cli.RunProcessAsync(Kubectl, ["canary", "--help"], environment: Path());

        Assert.True(run.ExitCode == 0, run.Stderr);
        foreach (var command in new[] { "list", "status", "watch", "promote", "abort", "pause", "resume", "retry", "skip-analysis" })
        {
            Assert.Matches($@"(?m)^\s+{command}\s", run.Stdout);
        }
    }

    [Fact]
    public async Task Kubectl_canary_list_reads_the_cluster_of_the_kubeconfig()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), new CanaryStatus { Phase = CanaryPhase.Progressing, CanaryWeight = 30 });
        var environment = Path();
        environment["KUBECONFIG"] = cluster.Kubeconfig(ns);

        var run = await Cli.RunProcessAsync(Kubectl, ["canary", "list"], environment: environment);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Matches(@"(?m)^podinfo\s+Progressing\s+30\s+3/5\s+0/5\s+-\s+\d+s$", run.Stdout);
    }

    private static Dictionary<string, string> Path() => new()
    {
        ["PATH"] = Cli.Folder + System.IO.Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
    };
}
