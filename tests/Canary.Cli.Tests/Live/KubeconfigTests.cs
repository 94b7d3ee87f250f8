using Canary.Api.V1Beta1;
using Canary.Cli.Tests.Support;

namespace Canary.Cli.Tests.Live;

using Cli = Canary.Cli.Tests.Support.Cli;

/// <summary>The cluster and namespace are found as kubectl finds them: $KUBECONFIG's files merged, --context, --kubeconfig, -n.</summary>
public sealed class KubeconfigTests(LiveCluster cluster) : IClassFixture<LiveCluster>
{
    [Fact]
    public async Task The_files_of_KUBECONFIG_are_merged_the_first_current_context_wins_and_context_picks_another()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), new CanaryStatus { Phase = CanaryPhase.Initialized });
        var elsewhere = Path.Combine(cluster.WorkDir, $"elsewhere-{ns}");
        await File.WriteAllTextAsync(elsewhere, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: elsewhere
              cluster:
                server: http://127.0.0.1:1
            contexts:
            - name: elsewhere
              context:
                cluster: elsewhere
                user: elsewhere
            current-context: elsewhere
            users:
            - name: elsewhere
              user:
                token: nothing
            """);
        var both = new Dictionary<string, string> { ["KUBECONFIG"] = elsewhere + Path.PathSeparator + cluster.Kubeconfig(ns) };

        var unreachable = await Cli.RunAsync(["list"], environment: both);
        var sandbox = await Cli.RunAsync(["list", "--context", "sandbox"], environment: both);
        var flag = await Cli.RunAsync(["list", "--kubeconfig", cluster.Kubeconfig("default"), "-n", ns], environment: both);

        Assert.Equal(1, unreachable.ExitCode);
        Assert.StartsWith("Unable to connect to the server", unreachable.Stderr, StringComparison.Ordinal);
        Assert.True(sandbox.ExitCode == 0, sandbox.Stderr);
        Assert.Matches(@"(?m)^podinfo\s+Initialized\s", sandbox.Stdout);
        Assert.True(flag.ExitCode == 0, flag.Stderr);
        Assert.Matches(@"(?m)^podinfo\s+Initialized\s", flag.Stdout);
    }

    [Fact]
    public async Task An_unknown_context_is_reported_as_kubectl_does()
    {
        var ns = await cluster.NewNamespaceAsync();

        var run = await Cli.RunAsync(["list", "--context", "nope"], environment: cluster.Env(ns));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: context \"nope\" does not exist", run.Stderr.Trim());
    }
}
