using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Api.Serialization;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.ApiServer.Resources;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// Controls of a release by a release manager who holds only the canary-operator ClusterRole: from the real kubectl
/// (the one-line CanaryRequest the README documents) and from the built kubectl-canary, against the real controller.
/// </summary>
[Collection(ControlScenarios.Name)]
public sealed class ControlTests(ControlsEnvironment env, ITestOutputHelper output)
{
    private const string Provider = GatewayApiEnvironment.Provider;
    private static readonly GroupVersionResource Requests = new("canary.dev", "v1beta1", "canaryrequests");

    private static CanaryAnalysis Analysis(params CanaryWebhook[] hooks) => new()
    {
        Interval = "2s",
        Threshold = 5,
        StepWeight = 10,
        MaxWeight = 50,
        Metrics = [Podinfo.SuccessRate()],
        Webhooks = [.. hooks],
    };

    // The README's line: kubectl create -f - <<< '{"apiVersion":"canary.dev/v1beta1","kind":"CanaryRequest",...}'
    private static async Task<string> KubectlRequestAsync(string kubeconfig, string action, string? reason = null)
    {
        var spec = new JsonObject { ["canary"] = Podinfo.Name, ["action"] = action };
        if (reason is not null)
        {
            spec["reason"] = reason;
        }

        var request = new JsonObject
        {
            ["apiVersion"] = "canary.dev/v1beta1",
            ["kind"] = "CanaryRequest",
            ["metadata"] = new JsonObject { ["generateName"] = $"{Podinfo.Name}-{action}-" },
            ["spec"] = spec,
        };
        var run = await Tools.KubectlAsync(kubeconfig, ["create", "-f", "-", "-o", "name"], request.ToJsonString());
        Assert.True(run.ExitCode == 0, $"kubectl create failed: {run}");
        return run.Stdout.Trim().Split('/')[^1];
    }

    private CanaryRequest? Request(CanaryScenario s, string name) =>
        env.TryGet(Requests, s.Namespace, name)?.Deserialize<CanaryRequest>(CanaryJson.Options);

    private async Task<CanaryRequest> HandledAsync(CanaryScenario s, string name)
    {
        await s.WaitUntilAsync(() => Request(s, name)?.Status?.Result is not null, $"CanaryRequest {name} handled");
        return Request(s, name)!;
    }

    [Fact]
    public async Task Pause_holds_the_weight_across_intervals_and_resume_advances()
    {
        await using var s = await CanaryScenario.StartAsync(env, "pause", Provider, output);
        var kubeconfig = await env.OperatorKubeconfigAsync(s.Namespace);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(Analysis());
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitUntilAsync(c => c?.Status is { Phase: CanaryPhase.Progressing, CanaryWeight: >= 10 }, "Progressing at weight 10");

        var pause = await KubectlRequestAsync(kubeconfig, CanaryControls.Pause, "schema migration");
        var handled = await HandledAsync(s, pause);
        Assert.Equal(CanaryControls.Accepted, handled.Status!.Result);
        // A check may have found no data yet before the pause (a counted failure); none is counted while paused.
        var (held, failedBefore) = (s.Canary()!.Status!.CanaryWeight!.Value, s.Canary()!.Status!.FailedChecks ?? 0);
        Assert.Equal($"holding at weight {held} until resumed", handled.Status.Message);
        var since = handled.Status.HandledTime!.Value;

        // Three more intervals of checks, recorded while paused; the weight and the route do not move.
        await s.WaitUntilAsync(c => c?.Status?.Checks?.Count(k => k.Time > since) >= 3, "three checks while paused");
        var paused = s.Canary()!.Status!;
        Assert.Equal((true, held, failedBefore), (paused.Paused, paused.CanaryWeight, paused.FailedChecks ?? 0));
        Assert.Equal(held, s.Observer.RouteWeights.Max());
        var record = Assert.Single(paused.Controls!);
        Assert.Equal((pause, CanaryControls.Pause, "schema migration", CanaryControls.Accepted), (record.Request, record.Action, record.Reason, record.Result));
        Assert.Contains($"pause requested by {pause} (reason: schema migration) accepted: holding at weight {held} until resumed", await s.EventMessagesAsync());

        var resume = await Tools.CanaryCliAsync(kubeconfig, ["resume", Podinfo.Name, "--reason", "migration done"]);
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Contains("resume accepted", resume.Stdout, StringComparison.Ordinal);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal([0, 10, 20, 30, 40, 50], s.Observer.StatusWeights(CanaryPhase.Progressing));

        var listed = await Tools.KubectlAsync(kubeconfig, ["get", "canaryrequests"]);
        Assert.Contains("Accepted", listed.Stdout, StringComparison.Ordinal);
        var one = await Tools.KubectlAsync(kubeconfig, ["get", "canaryrequest", pause, "-o", "jsonpath={.status.result}"]);
        Assert.Equal("Accepted", one.Stdout);
    }

    [Fact]
    public async Task Abort_rolls_back_within_one_interval_and_retry_runs_the_same_revision_again()
    {
        await using var s = await CanaryScenario.StartAsync(env, "abort", Provider, output);
        var kubeconfig = await env.OperatorKubeconfigAsync(s.Namespace);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(Analysis());
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitUntilAsync(c => c?.Status is { Phase: CanaryPhase.Progressing, CanaryWeight: >= 20 }, "Progressing at weight 20");
        var revision = s.Canary()!.Status!.LastAppliedSpec;

        // The request wakes the controller at once: the rollback is the very tick that handles it.
        var abort = await Tools.CanaryCliAsync(kubeconfig, ["abort", Podinfo.Name, "--reason", "dashboards look wrong"]);
        Assert.True(abort.ExitCode == 0, abort.ToString());
        Assert.Contains("abort accepted", abort.Stdout, StringComparison.Ordinal);
        var handled = Assert.Single(s.Canary()!.Status!.Controls!);
        Assert.Equal(CanaryPhase.Failed, s.Canary()!.Status!.Phase);
        Assert.StartsWith("rolling back at weight ", handled.Message, StringComparison.Ordinal);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.Equal(0, (await s.DeploymentAsync(Podinfo.Name)).Spec.Replicas);
        Assert.Equal(Podinfo.Image, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains($"Canary failed! Scaling down podinfo.{s.Namespace}", await s.EventMessagesAsync());

        // The Deployment is unchanged: retry analyses the same revision again, and it is promoted this time.
        var retry = await KubectlRequestAsync(kubeconfig, CanaryControls.Retry);
        Assert.Equal(CanaryControls.Accepted, (await HandledAsync(s, retry)).Status!.Result);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        var status = s.Canary()!.Status!;
        Assert.Equal((revision, revision), (status.LastAppliedSpec, status.LastPromotedSpec));
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        var weights = s.Observer.StatusWeights(CanaryPhase.Progressing).ToList();
        Assert.Equal([0, 10, 20, 30, 40, 50], weights[weights.LastIndexOf(0)..]);
    }

    [Fact]
    public async Task Promote_from_kubectl_skips_the_remaining_steps_and_force_from_the_cli_skips_the_gate()
    {
        await using var s = await CanaryScenario.StartAsync(env, "promote", Provider, output);
        var kubeconfig = await env.OperatorKubeconfigAsync(s.Namespace);
        var hooks = env.Webhooks;
        hooks.Answer(s.Namespace, WebhookTypes.ConfirmTrafficIncrease, HttpStatusCode.Forbidden, "not yet");
        hooks.Answer(s.Namespace, WebhookTypes.ConfirmPromotion, HttpStatusCode.Forbidden, "change freeze");
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(Analysis(
            Podinfo.Hook(hooks, s.Namespace, WebhookTypes.ConfirmTrafficIncrease),
            Podinfo.Hook(hooks, s.Namespace, WebhookTypes.ConfirmPromotion)));
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitUntilAsync(() => hooks.Calls(s.Namespace, WebhookTypes.ConfirmTrafficIncrease).Count >= 2, "held at weight 0 by confirm-traffic-increase");
        using var watching = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var watch = Tools.StartCanaryCliAsync(kubeconfig, ["watch", Podinfo.Name], watching.Token);

        // promote: the remaining steps are skipped, the confirm-promotion gate still decides (and says no).
        var promote = await KubectlRequestAsync(kubeconfig, CanaryControls.Promote);
        Assert.Equal(CanaryControls.Accepted, (await HandledAsync(s, promote)).Status!.Result);
        await s.WaitForPhaseAsync(CanaryPhase.WaitingPromotion);
        Assert.Equal(CanaryControls.PromotionGated, s.Canary()!.Status!.RequestedPromotion);
        Assert.Equal(Podinfo.Image, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);

        // promote --force: past the gate.
        var forced = await Tools.CanaryCliAsync(kubeconfig, ["promote", Podinfo.Name, "--force", "--reason", "hotfix"]);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("promote accepted", forced.Stdout, StringComparison.Ordinal);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Equal([0], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Contains(
            $"promote --force requested by {s.Canary()!.Status!.Controls![^1].Request} (reason: hotfix) accepted: the remaining steps are skipped and the canary promoted without the confirm-promotion gates",
            await s.EventMessagesAsync());

        // kubectl canary watch followed the release on watch events and ended with it: exit code 0 for a promotion.
        var watched = await watch;
        Assert.True(watched.ExitCode == 0, watched.ToString());
        Assert.Contains("Succeeded", watched.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skip_analysis_promotes_the_release_without_checks()
    {
        await using var s = await CanaryScenario.StartAsync(env, "skip", Provider, output);
        var kubeconfig = await env.OperatorKubeconfigAsync(s.Namespace);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(Analysis());
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);

        var skip = await Tools.CanaryCliAsync(kubeconfig, ["skip-analysis", Podinfo.Name, "--reason", "config-only change"]);
        Assert.True(skip.ExitCode == 0, skip.ToString());
        Assert.Contains("skip-analysis accepted", skip.Stdout, StringComparison.Ordinal);
        Assert.True(s.Canary()!.Status!.SkipAnalysisOnce);

        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        var status = s.Canary()!.Status!;
        Assert.Null(status.SkipAnalysisOnce);
        Assert.Null(status.Checks);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains($"Promotion completed! Canary analysis was skipped for podinfo.{s.Namespace}", await s.EventMessagesAsync());
    }

    [Fact]
    public async Task The_operator_role_reads_and_asks_but_cannot_change_a_Canary_or_its_workload()
    {
        await using var s = await CanaryScenario.StartAsync(env, "operator", Provider, output);
        var kubeconfig = await env.OperatorKubeconfigAsync(s.Namespace);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(Analysis());
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        const string User = "system:serviceaccount:release-managers:release-manager";

        // kubectl finds the plugin on PATH: `kubectl canary list` as the release manager.
        var list = await Tools.KubectlAsync(kubeconfig, ["canary", "list"]);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("Initialized", list.Stdout, StringComparison.Ordinal);
        var status = await Tools.CanaryCliAsync(kubeconfig, ["status", Podinfo.Name]);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"Initialization done! podinfo.{s.Namespace}", status.Stdout, StringComparison.Ordinal);

        var patch = await Tools.KubectlAsync(kubeconfig, ["patch", "canary", Podinfo.Name, "--type", "merge", "-p", "{\"spec\":{\"skipAnalysis\":true}}"]);
        Assert.Contains($"canaries.canary.dev \"podinfo\" is forbidden: User \"{User}\" cannot patch resource \"canaries\"", patch.Stderr, StringComparison.Ordinal);
        var scale = await Tools.KubectlAsync(kubeconfig, ["scale", "deployment", Podinfo.Name, "--replicas", "5"]);
        Assert.Contains($"User \"{User}\" cannot", scale.Stderr, StringComparison.Ordinal);
        var request = await KubectlRequestAsync(kubeconfig, CanaryControls.Pause);
        var delete = await Tools.KubectlAsync(kubeconfig, ["delete", "canaryrequest", request]);
        Assert.Contains($"cannot delete resource \"canaryrequests\"", delete.Stderr, StringComparison.Ordinal);
        var elsewhere = await Tools.CanaryCliAsync(kubeconfig, ["list", "-n", "default"]);
        Assert.Equal(1, elsewhere.ExitCode);
        Assert.Contains("forbidden", elsewhere.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal((false, 2), (s.Canary()!.Spec.SkipAnalysis == true, (await s.DeploymentAsync("podinfo-primary")).Spec.Replicas));
    }
}
