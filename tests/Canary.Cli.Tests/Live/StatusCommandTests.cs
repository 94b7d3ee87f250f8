using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Cli.Tests.Support;

namespace Canary.Cli.Tests.Live;

using Cli = Canary.Cli.Tests.Support.Cli;

public sealed class StatusCommandTests(LiveCluster cluster) : IClassFixture<LiveCluster>
{
    // Ages from 10 minutes up print whole minutes (kubectl's rounding), so these read the same however long a run takes.
    private readonly DateTime _start = DateTime.UtcNow.AddMinutes(-50);

    [Fact]
    public async Task Status_shows_target_and_primary_progress_flags_timeline_checks_webhooks_controls_and_events()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.DeploymentAsync(ns, "podinfo", "ghcr.io/stefanprodan/podinfo:6.0.1");
        await cluster.DeploymentAsync(ns, "podinfo-primary", "ghcr.io/stefanprodan/podinfo:6.0.0");
        var canary = await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), RolloutStatus(_start));
        await cluster.EventAsync(canary, $"New revision detected! Scaling up podinfo.{ns}", time: _start);
        await cluster.EventAsync(canary, $"Advance podinfo.{ns} canary weight 10", time: _start.AddMinutes(1));
        await cluster.EventAsync(canary, $"Advance podinfo.{ns} canary weight 20", time: _start.AddMinutes(2));
        await cluster.EventAsync(canary, $"Halt podinfo.{ns} advancement request duration 730ms > 500ms", "Warning", _start.AddMinutes(3));

        var run = await Cli.RunAsync(["status", "podinfo"], environment: cluster.Env(ns));

        Assert.True(run.ExitCode == 0, run.Stderr);
        var text = run.Stdout;
        Assert.Contains($"Canary:         {ns}/podinfo (canary, provider gatewayapi:v1)", text, StringComparison.Ordinal);
        Assert.Contains("Target:         Deployment podinfo, revision 7f9c8d, image ghcr.io/stefanprodan/podinfo:6.0.1", text, StringComparison.Ordinal);
        Assert.Contains("Primary:        Deployment podinfo-primary, revision 5b4a3c, image ghcr.io/stefanprodan/podinfo:6.0.0", text, StringComparison.Ordinal);
        Assert.Contains("Phase:          Progressing (paused)", text, StringComparison.Ordinal);
        Assert.Contains("Progress:       weight 20% of 50% (step 2/5)", text, StringComparison.Ordinal);
        Assert.Contains("Failed checks:  1/5", text, StringComparison.Ordinal);
        Assert.Contains("Flags:          paused, promotion requested (Gated), skip analysis once", text, StringComparison.Ordinal);

        Assert.Matches(@"(?m)^Timeline:\n  AGE\s+PHASE\s+WEIGHT\s+ITERATIONS\n  50m\s+Progressing\s+0\s+0\n  49m\s+Progressing\s+10\s+0\n  48m\s+Progressing\s+20\s+0$", text);
        Assert.Matches(@"(?m)^  AGE\s+METRIC\s+WEIGHT\s+CANARY\s+THRESHOLD\s+VERDICT\s+MESSAGE$", text);
        Assert.Matches(@"(?m)^  49m\s+request-success-rate\s+10\s+99.5%\s+>= 99%\s+Pass\s+-$", text);
        Assert.Matches(@"(?m)^  48m\s+request-duration\s+20\s+730ms\s+<= 500ms\s+Fail\s+request duration 730ms > 500ms$", text);
        Assert.Matches(@"(?m)^  48m\s+request-success-rate\s+20\s+98.2%\s+primary 99.9%\s+Inconclusive\s+too few requests$", text);
        Assert.Matches(@"(?m)^Webhooks:\n  AGE\s+NAME\s+TYPE\s+RESULT\s+MESSAGE\n  50m\s+load-test\s+pre-rollout\s+passed\s+ok\n  47m\s+gate\s+confirm-promotion\s+failed\s+not approved$", text);
        Assert.Matches(@"(?m)^Controls:\n  AGE\s+REQUEST\s+ACTION\s+RESULT\s+REASON\s+MESSAGE\n  46m\s+podinfo-pause-x1\s+pause\s+Accepted\s+incident 42\s+paused at weight 20$", text);
        Assert.Matches(
            $@"(?m)^Events:\n  AGE\s+TYPE\s+REASON\s+MESSAGE\n  50m\s+Normal\s+Synced\s+New revision detected! Scaling up podinfo.{ns}\n  49m\s+Normal\s+Synced\s+Advance podinfo.{ns} canary weight 10\n  48m\s+Normal\s+Synced\s+Advance podinfo.{ns} canary weight 20\n  47m\s+Warning\s+Synced\s+Halt podinfo.{ns} advancement",
            text);
    }

    [Fact]
    public async Task Status_json_and_yaml_carry_the_same_screen_as_data()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.DeploymentAsync(ns, "podinfo", "ghcr.io/stefanprodan/podinfo:6.0.1");
        var canary = await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), RolloutStatus(_start));
        await cluster.EventAsync(canary, $"Advance podinfo.{ns} canary weight 20");

        var run = await Cli.RunAsync(["status", "podinfo", "-o", "json", "-n", ns], environment: cluster.Env("default"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        var screen = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("podinfo", (string?)screen["name"]);
        Assert.Equal("canary", (string?)screen["strategy"]);
        Assert.Equal("7f9c8d", (string?)screen["target"]!["revision"]);
        Assert.Equal("ghcr.io/stefanprodan/podinfo:6.0.1", (string?)screen["target"]!["images"]![0]);
        Assert.Null(screen["primary"]!["images"]); // podinfo-primary does not exist here: no images, no error
        Assert.Equal("5b4a3c", (string?)screen["primary"]!["revision"]);
        Assert.Equal("Progressing", (string?)screen["phase"]);
        Assert.True((bool?)screen["paused"]);
        Assert.Equal("Gated", (string?)screen["requestedPromotion"]);
        Assert.Equal(20, (int?)screen["weight"]);
        Assert.Equal(2, (int?)screen["step"]);
        Assert.Equal(5, (int?)screen["steps"]);
        Assert.Equal(3, screen["timeline"]!.AsArray().Count);
        var duration = screen["checks"]!.AsArray()[1]!;
        Assert.Equal("request-duration", (string?)duration["metric"]);
        Assert.Equal(730, (double?)duration["canaryValue"]);
        Assert.Equal(500, (double?)duration["thresholdMax"]);
        Assert.Equal("Fail", (string?)duration["verdict"]);
        Assert.Equal(99.9, (double?)screen["checks"]!.AsArray()[2]!["primaryValue"]);
        Assert.Equal("confirm-promotion", (string?)screen["webhooks"]!.AsArray()[1]!["type"]);
        Assert.Equal("podinfo-pause-x1", (string?)screen["controls"]!.AsArray()[0]!["request"]);
        Assert.Equal($"Advance podinfo.{ns} canary weight 20", (string?)screen["events"]!.AsArray().Single()!["message"]);

        var yaml = await Cli.RunAsync(["status", "podinfo", "-o", "yaml"], environment: cluster.Env(ns));
        Assert.True(yaml.ExitCode == 0, yaml.Stderr);
        Assert.Contains("requestedPromotion: Gated", yaml.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_of_a_canary_that_does_not_exist_fails_with_a_clear_message()
    {
        var ns = await cluster.NewNamespaceAsync();

        var run = await Cli.RunAsync(["status", "nope"], environment: cluster.Env(ns));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: canary \"nope\" not found in namespace \"{ns}\"", run.Stderr.Trim());
    }

    [Fact]
    public async Task Status_shows_the_last_ten_events_oldest_first()
    {
        var ns = await cluster.NewNamespaceAsync();
        var canary = await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), new CanaryStatus { Phase = CanaryPhase.Progressing, CanaryWeight = 10 });
        for (var i = 1; i <= 12; i++)
        {
            await cluster.EventAsync(canary, $"event number {i}", time: _start.AddSeconds(i));
        }

        var run = await Cli.RunAsync(["status", "podinfo"], environment: cluster.Env(ns));

        Assert.True(run.ExitCode == 0, run.Stderr);
        var numbers = run.Stdout.Split('\n').Where(l => l.Contains("event number", StringComparison.Ordinal))
            .Select(l => int.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(3, 10), numbers);
    }

    internal static CanaryStatus RolloutStatus(DateTime start) => new()
    {
        Phase = CanaryPhase.Progressing,
        CanaryWeight = 20,
        FailedChecks = 1,
        LastAppliedSpec = "7f9c8d",
        LastPromotedSpec = "5b4a3c",
        Paused = true,
        RequestedPromotion = CanaryControls.PromotionGated,
        SkipAnalysisOnce = true,
        Timeline =
        [
            new CanaryTimelineEntry { Time = start, Phase = "Progressing", Weight = 0, Iterations = 0 },
            new CanaryTimelineEntry { Time = start.AddMinutes(1), Phase = "Progressing", Weight = 10, Iterations = 0 },
            new CanaryTimelineEntry { Time = start.AddMinutes(2), Phase = "Progressing", Weight = 20, Iterations = 0 },
        ],
        Checks =
        [
            new CanaryCheck { Time = start.AddMinutes(1), Weight = 10, Metric = BuiltInMetrics.RequestSuccessRate, CanaryValue = 99.5, Verdict = CheckVerdicts.Pass },
            new CanaryCheck
            {
                Time = start.AddMinutes(2), Weight = 20, Metric = BuiltInMetrics.RequestDuration, CanaryValue = 730, Verdict = CheckVerdicts.Fail,
                Message = "request duration 730ms > 500ms",
            },
            new CanaryCheck
            {
                Time = start.AddMinutes(2), Weight = 20, Metric = BuiltInMetrics.RequestSuccessRate, CanaryValue = 98.2, PrimaryValue = 99.9,
                Verdict = CheckVerdicts.Inconclusive, Message = "too few requests",
            },
        ],
        Webhooks =
        [
            new CanaryWebhookResult { Name = "load-test", Type = "pre-rollout", Time = start, Passed = true, Message = "ok" },
            new CanaryWebhookResult { Name = "gate", Type = "confirm-promotion", Time = start.AddMinutes(3), Passed = false, Message = "not approved" },
        ],
        Controls =
        [
            new CanaryControlRecord
            {
                Request = "podinfo-pause-x1", Uid = "u1", Action = CanaryControls.Pause, Reason = "incident 42", RequestedTime = start.AddMinutes(4),
                HandledTime = start.AddMinutes(4), Result = CanaryControls.Accepted, Message = "paused at weight 20",
            },
        ],
    };
}
