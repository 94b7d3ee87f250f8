using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Cli.Tests.Support;

namespace Canary.Cli.Tests.Live;

using Cli = Canary.Cli.Tests.Support.Cli;

/// <summary>The six controls: each creates a CanaryRequest owned by the Canary and waits for the answer, which the test gives as the controller would.</summary>
public sealed class ControlCommandTests(LiveCluster cluster) : IClassFixture<LiveCluster>
{
    [Theory]
    [InlineData("promote")]
    [InlineData("abort")]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("retry")]
    [InlineData("skip-analysis")]
    public async Task Each_control_creates_a_request_owned_by_the_canary_and_prints_the_accepted_answer(string action)
    {
        var ns = await cluster.NewNamespaceAsync();
        var canary = await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), WatchCommandTests.Progressing(20));
        var version = await cluster.RequestsVersionAsync(ns);

        var run = Cli.RunAsync([action, "podinfo", "--reason", "release train 7"], environment: cluster.Env(ns));
        var request = await cluster.NextRequestAsync(ns, version);
        await cluster.AnswerAsync(request, CanaryControls.Accepted, $"{action} done at weight 20");
        var result = await run;

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal($"podinfo: {action} accepted — {action} done at weight 20", result.Stdout.Trim());
        Assert.StartsWith($"podinfo-{action}-", request.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("podinfo", request.Spec.Canary);
        Assert.Equal(action, request.Spec.Action);
        Assert.Equal("release train 7", request.Spec.Reason);
        Assert.Null(request.Spec.Force);
        var owner = Assert.Single(request.Metadata.OwnerReferences);
        Assert.Equal(("canary.dev/v1beta1", "Canary", "podinfo", canary.Metadata.Uid), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));
        Assert.Null(owner.Controller);
    }

    [Fact]
    public async Task Promote_force_sets_force_and_json_prints_the_answered_request()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), WatchCommandTests.Progressing(20));
        var version = await cluster.RequestsVersionAsync(ns);

        var run = Cli.RunAsync(["promote", "podinfo", "--force", "-o", "json"], environment: cluster.Env(ns));
        var request = await cluster.NextRequestAsync(ns, version);
        await cluster.AnswerAsync(request, CanaryControls.Accepted, "promotion forced");
        var result = await run;

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(request.Spec.Force);
        var printed = JsonNode.Parse(result.Stdout)!;
        Assert.Equal("CanaryRequest", (string?)printed["kind"]);
        Assert.Equal(request.Metadata.Name, (string?)printed["metadata"]!["name"]);
        Assert.True((bool?)printed["spec"]!["force"]);
        Assert.Equal("Accepted", (string?)printed["status"]!["result"]);
        Assert.Equal("promotion forced", (string?)printed["status"]!["message"]);
    }

    [Fact]
    public async Task A_refused_request_prints_the_controllers_reason_on_stderr_and_exits_1()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), new CanaryStatus { Phase = CanaryPhase.Succeeded });
        var version = await cluster.RequestsVersionAsync(ns);

        var run = Cli.RunAsync(["abort", "podinfo"], environment: cluster.Env(ns));
        var request = await cluster.NextRequestAsync(ns, version);
        await cluster.AnswerAsync(request, CanaryControls.Refused, "no release in progress (phase Succeeded)", "Succeeded");
        var result = await run;

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal("podinfo: abort refused — no release in progress (phase Succeeded)", result.Stderr.Trim());
    }

    [Fact]
    public async Task No_wait_creates_the_request_and_prints_its_name()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), WatchCommandTests.Progressing(20));

        var result = await Cli.RunAsync(["pause", "podinfo", "--no-wait"], environment: cluster.Env(ns));

        Assert.True(result.ExitCode == 0, result.Stderr);
        var request = Assert.Single(await cluster.RequestsAsync(ns));
        Assert.Equal(request.Metadata.Name, result.Stdout.Trim());
        Assert.Null(request.Status);
    }

    [Fact]
    public async Task Without_an_answer_in_time_it_exits_2_and_says_the_controller_may_not_be_running()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), WatchCommandTests.Progressing(20));

        var result = await Cli.RunAsync(["resume", "podinfo", "--timeout", "1s"], environment: cluster.Env(ns));

        Assert.Equal(2, result.ExitCode);
        var request = Assert.Single(await cluster.RequestsAsync(ns));
        Assert.Equal($"podinfo: no answer from the controller within 1s (is it running?); the request {request.Metadata.Name} stays pending", result.Stderr.Trim());
    }

    [Fact]
    public async Task A_control_on_a_canary_that_does_not_exist_fails_without_creating_a_request()
    {
        var ns = await cluster.NewNamespaceAsync();

        var result = await Cli.RunAsync(["promote", "nope"], environment: cluster.Env(ns));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: canary \"nope\" not found in namespace \"{ns}\"", result.Stderr.Trim());
        Assert.Empty(await cluster.RequestsAsync(ns));
    }

    [Fact]
    public async Task Force_is_only_a_promote_flag_and_a_bad_timeout_is_refused()
    {
        var ns = await cluster.NewNamespaceAsync();

        var force = await Cli.RunAsync(["abort", "podinfo", "--force"], environment: cluster.Env(ns));
        var timeout = await Cli.RunAsync(["pause", "podinfo", "--timeout", "soon"], environment: cluster.Env(ns));

        Assert.NotEqual(0, force.ExitCode);
        Assert.Contains("--force", force.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, timeout.ExitCode);
        Assert.Contains("invalid --timeout \"soon\"", timeout.Stderr, StringComparison.Ordinal);
    }
}
