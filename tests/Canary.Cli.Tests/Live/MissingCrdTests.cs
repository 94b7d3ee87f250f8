using Canary.Cli.Tests.Support;

namespace Canary.Cli.Tests.Live;

using Cli = Canary.Cli.Tests.Support.Cli;

/// <summary>A cluster where the canary.dev CRDs were never installed.</summary>
public sealed class BareCluster : LiveCluster
{
    protected override bool InstallCrds => false;
}

public sealed class MissingCrdTests(BareCluster cluster) : IClassFixture<BareCluster>
{
    [Fact]
    public async Task List_on_a_cluster_without_the_crds_says_the_resource_type_is_missing()
    {
        var ns = await cluster.NewNamespaceAsync();

        var run = await Cli.RunAsync(["list"], environment: cluster.Env(ns));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: the server doesn't have a resource type \"canaries\" (are the canary.dev CRDs of manifests/crds installed?)", run.Stderr.Trim());
    }
}
