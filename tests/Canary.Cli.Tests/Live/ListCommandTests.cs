using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Cli.Tests.Support;

namespace Canary.Cli.Tests.Live;

using Cli = Canary.Cli.Tests.Support.Cli;

public sealed class ListCommandTests(LiveCluster cluster) : IClassFixture<LiveCluster>
{
    [Fact]
    public async Task List_shows_each_canary_with_phase_weight_step_failed_checks_last_verdict_and_age()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo("podinfo"), new CanaryStatus
        {
            Phase = CanaryPhase.Progressing,
            CanaryWeight = 20,
            FailedChecks = 1,
            Paused = true,
            Checks =
            [
                new CanaryCheck { Metric = BuiltInMetrics.RequestSuccessRate, Verdict = CheckVerdicts.Pass, CanaryValue = 100, Weight = 10 },
                new CanaryCheck { Metric = BuiltInMetrics.RequestDuration, Verdict = CheckVerdicts.Fail, CanaryValue = 730, Weight = 20 },
            ],
        });
        await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo("backend"), new CanaryStatus { Phase = CanaryPhase.Succeeded, CanaryWeight = 0 });

        var run = await Cli.RunAsync(["list"], environment: cluster.Env(ns));

        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = run.Stdout.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^NAME\s+PHASE\s+WEIGHT\s+STEP\s+FAILED\s+LAST VERDICT\s+AGE$", lines[0]);
        Assert.Matches(@"^backend\s+Succeeded\s+0\s+-\s+0/5\s+-\s+\d+s$", lines[1]);
        Assert.Matches(@"^podinfo\s+Progressing \(paused\)\s+20\s+2/5\s+1/5\s+request-duration Fail\s+\d+s$", lines[2]);
    }

    [Fact]
    public async Task List_all_namespaces_adds_the_namespace_column_and_json_carries_the_same_fields()
    {
        var first = await cluster.NewNamespaceAsync("a");
        var second = await cluster.NewNamespaceAsync("b");
        await cluster.CreateCanaryAsync(first, LiveCluster.Podinfo("web"), new CanaryStatus { Phase = CanaryPhase.Progressing, CanaryWeight = 40 });
        var blueGreen = LiveCluster.Podinfo("api");
        blueGreen.Spec.Provider = "kubernetes";
        blueGreen.Spec.Analysis!.Iterations = 4;
        await cluster.CreateCanaryAsync(second, blueGreen, new CanaryStatus { Phase = CanaryPhase.Progressing, Iterations = 3, FailedChecks = 2 });

        var text = await Cli.RunAsync(["list", "-A"], environment: cluster.Env(first));
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Matches(@"(?m)^NAMESPACE\s+NAME\s+PHASE", text.Stdout);
        Assert.Matches($@"(?m)^{first}\s+web\s+Progressing\s+40\s+4/5\s+0/5\s+-\s+\d+s$", text.Stdout);
        // The kubernetes provider runs blue/green: the step is the iteration.
        Assert.Matches($@"(?m)^{second}\s+api\s+Progressing\s+0\s+3/4\s+2/5\s+-\s+\d+s$", text.Stdout);

        var json = await Cli.RunAsync(["list", "--all-namespaces", "-o", "json"], environment: cluster.Env(first));
        Assert.True(json.ExitCode == 0, json.Stderr);
        var rows = JsonNode.Parse(json.Stdout)!.AsArray().Select(r => r!.AsObject()).Where(r => (string?)r["namespace"] == first || (string?)r["namespace"] == second).ToList();
        Assert.Equal(2, rows.Count);
        var web = rows.Single(r => (string?)r["name"] == "web");
        Assert.Equal("Progressing", (string?)web["phase"]);
        Assert.Equal(40, (int?)web["weight"]);
        Assert.Equal("4/5", (string?)web["step"]);
        Assert.Equal(0, (int?)web["failedChecks"]);
        Assert.Equal(5, (int?)web["threshold"]);
        Assert.False((bool?)web["paused"]);
        Assert.NotNull(web["age"]);
        var api = rows.Single(r => (string?)r["name"] == "api");
        Assert.Equal("3/4", (string?)api["step"]);

        var yaml = await Cli.RunAsync(["list", "-o", "yaml", "-n", second], environment: cluster.Env(first));
        Assert.True(yaml.ExitCode == 0, yaml.Stderr);
        Assert.Contains("name: api", yaml.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("name: web", yaml.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_of_an_empty_namespace_says_so_as_kubectl_does()
    {
        var ns = await cluster.NewNamespaceAsync();

        var run = await Cli.RunAsync(["list"], environment: cluster.Env(ns));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Equal($"No resources found in {ns} namespace.", run.Stderr.Trim());
    }
}
