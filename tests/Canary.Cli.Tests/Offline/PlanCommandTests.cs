using System.Text.Json.Nodes;

namespace Canary.Cli.Tests.Offline;

using Cli = Canary.Cli.Tests.Support.Cli;

/// <summary><c>kubectl canary plan</c>, run as a user would, against golden output.</summary>
public sealed class PlanCommandTests
{
    [Fact]
    public async Task The_podinfo_example_plans_five_steps_with_its_gate_promotion_and_rollback_times()
    {
        var run = await Cli.RunAsync(["plan", "manifests/examples/podinfo-canary.yaml"], workingDirectory: OfflineFiles.RepositoryRoot);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Stderr);
        OfflineFiles.AssertGolden("plan/podinfo-canary.txt", run.Stdout);
        Assert.Contains("Promotion: at the earliest 6m", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("metric request-duration: a 30s window with a 1m interval leaves gaps", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_podinfo_example_as_json_carries_every_step_and_the_rollback_times()
    {
        var run = await Cli.RunAsync(["plan", "manifests/examples/podinfo-canary.yaml", "-o", "json"], workingDirectory: OfflineFiles.RepositoryRoot);

        Assert.Equal(0, run.ExitCode);
        OfflineFiles.AssertGolden("plan/podinfo-canary.json", run.Stdout);
        var plan = Assert.Single(JsonNode.Parse(run.Stdout)!.AsArray())!;
        Assert.Equal([0, 10, 20, 30, 40, 50, 50, 0, 0], plan["steps"]!.AsArray().Select(s => (int)s!["canaryWeight"]!));
        Assert.Equal("6m", (string?)plan["promotion"]!["promoted"]);
        Assert.Equal("5m", (string?)plan["rollback"]!["afterFirstFailedCheck"]);
        Assert.Equal("6m", (string?)plan["rollback"]!["worstCase"]);
    }

    [Fact]
    public async Task Yaml_output_reads_back_as_the_json_output()
    {
        var json = await Cli.RunAsync(["plan", "Plans/mirror.yaml", "-o", "json"], workingDirectory: OfflineFiles.Directory);
        var yaml = await Cli.RunAsync(["plan", "Plans/mirror.yaml", "-o", "yaml"], workingDirectory: OfflineFiles.Directory);

        Assert.Equal(0, yaml.ExitCode);
        var fromYaml = Assert.Single(Api.Serialization.CanaryYaml.ToJsonNodes(yaml.Stdout));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json.Stdout), fromYaml));
    }

    [Theory]
    [InlineData("ab-testing")]
    [InlineData("blue-green-kubernetes")]
    [InlineData("step-weights")]
    [InlineData("step-weight-promotion")]
    [InlineData("mirror")]
    public async Task Crafted_canaries_plan_as_the_golden_files_say(string name)
    {
        var run = await Cli.RunAsync(["plan", $"Plans/{name}.yaml"], workingDirectory: OfflineFiles.Directory);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Stderr);
        OfflineFiles.AssertGolden($"plan/{name}.txt", run.Stdout);
    }

    [Fact]
    public async Task The_kubernetes_provider_runs_blue_green_whatever_weights_are_written_and_says_so()
    {
        var run = await Cli.RunAsync(["plan", "Plans/blue-green-kubernetes.yaml", "-o", "json"], workingDirectory: OfflineFiles.Directory);

        var plan = JsonNode.Parse(run.Stdout)![0]!;
        Assert.Equal("blue-green", (string?)plan["strategy"]);
        Assert.Equal(10, (int)plan["iterations"]!);
        Assert.Contains(
            "provider kubernetes cannot split traffic: stepWeight, maxWeight are not used; the release runs blue/green: 10 iterations (the default when iterations is not set)",
            plan["warnings"]!.AsArray().Select(w => (string?)w));
        Assert.Contains("metric request-success-rate: a 1m window with a 30s interval double-counts: each sample is judged 2 times",
            plan["warnings"]!.AsArray().Select(w => (string?)w));
        Assert.Equal("1m30s", (string?)plan["rollback"]!["afterFirstFailedCheck"]);
    }

    [Fact]
    public async Task A_flagger_canary_is_planned_too()
    {
        var run = await Cli.RunAsync(["plan", "Flagger/istio-canary.yaml", "-o", "json"], workingDirectory: OfflineFiles.Directory);

        Assert.Equal(0, run.ExitCode);
        var plan = JsonNode.Parse(run.Stdout)![0]!;
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 5), plan["stepWeights"]!.AsArray().Select(w => (int)w!));
        Assert.Equal("15s", (string?)plan["interval"]);
    }

    [Fact]
    public async Task A_canary_the_controller_refuses_prints_its_errors_by_field_path_and_exits_1()
    {
        var run = await Cli.RunAsync(["plan", "Plans/invalid.yaml"], workingDirectory: OfflineFiles.Directory);

        Assert.Equal(1, run.ExitCode);
        OfflineFiles.AssertGolden("plan/invalid.txt", run.Stdout);
        OfflineFiles.AssertGolden("plan/invalid.stderr.txt", run.Stderr);
    }

    [Fact]
    public async Task Without_spec_provider_the_mesh_provider_decides_and_kubernetes_turns_the_release_blue_green()
    {
        const string canary = """
            apiVersion: canary.dev/v1beta1
            kind: Canary
            metadata:
              name: app
            spec:
              targetRef: {apiVersion: apps/v1, kind: Deployment, name: app}
              service: {port: 80}
              analysis:
                interval: 1m
                threshold: 2
                iterations: 3
                metrics:
                  - name: request-success-rate
                    thresholdRange: {min: 99}
            """;

        var istio = await Cli.RunAsync(["plan", "-", "-o", "json"], stdin: canary);
        var kubernetes = await Cli.RunAsync(["plan", "-", "-o", "json", "--mesh-provider", "kubernetes"], stdin: canary);

        Assert.Equal("istio", (string?)JsonNode.Parse(istio.Stdout)![0]!["provider"]);
        Assert.Equal("--mesh-provider", (string?)JsonNode.Parse(istio.Stdout)![0]!["providerFrom"]);
        var plan = JsonNode.Parse(kubernetes.Stdout)![0]!;
        Assert.Equal("kubernetes", (string?)plan["provider"]);
        Assert.Equal("blue-green", (string?)plan["strategy"]);
        Assert.Equal(3, (int)plan["iterations"]!);
    }

    [Fact]
    public async Task A_file_without_a_canary_a_missing_file_and_an_unknown_mesh_provider_exit_1()
    {
        var noCanary = await Cli.RunAsync(["plan", "manifests/examples/podinfo-hpa.yaml"], workingDirectory: OfflineFiles.RepositoryRoot);
        var missing = await Cli.RunAsync(["plan", "no-such-file.yaml"], workingDirectory: OfflineFiles.Directory);
        var provider = await Cli.RunAsync(["plan", "Plans/mirror.yaml", "--mesh-provider", "appmesh"], workingDirectory: OfflineFiles.Directory);

        Assert.Equal(1, noCanary.ExitCode);
        Assert.Contains("holds no Canary", noCanary.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("plan: cannot read no-such-file.yaml", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, provider.ExitCode);
        Assert.Contains("--mesh-provider: 'appmesh' is not one of the implemented providers", provider.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_describes_the_command()
    {
        var run = await Cli.RunAsync(["plan", "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Show the timeline a Canary will follow, offline", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--mesh-provider", run.Stdout, StringComparison.Ordinal);
    }
}
