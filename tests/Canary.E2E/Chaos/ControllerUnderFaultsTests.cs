using System.Diagnostics;
using System.Globalization;
using Canary.Api.V1Beta1;
using Canary.Controller.LeaderElection;
using Canary.E2E.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Canary.E2E.Chaos;

/// <summary>
/// The real controller process under faults through a whole release: API errors, 429s and dropped watches throughout,
/// and two replicas with leader election where the leader is killed mid-step. The release ends as it would have, with no
/// weight step repeated or skipped.
/// </summary>
[Collection(ChaosScenarios.Name)]
public sealed class ControllerUnderFaultsTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = GatewayApiEnvironment.Provider;

    private static CanaryAnalysis Analysis() => new()
    {
        Interval = "2s",
        Threshold = 5,
        StepWeight = 10,
        MaxWeight = 50,
        Metrics = [Podinfo.SuccessRate()],
    };

    [Fact]
    public async Task A_release_under_10_percent_API_errors_429s_and_dropped_watches_ends_as_without_them()
    {
        await using var s = await CanaryScenario.StartAsync(env, "apifaults", Provider, output);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(Analysis());
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await s.EditTemplateAsync(image: Podinfo.NewImage);

        // From the new revision to the end: the controller's every request may fail, its watches are cut every 2 s.
        var faults = env.Cluster.Server.Faults;
        faults.SetErrorRate(0.10, statusCodes: [500, 429, 503]);
        faults.DropWatchesAfter = TimeSpan.FromSeconds(2);
        try
        {
            await s.WaitForPhaseAsync(CanaryPhase.Succeeded, TimeSpan.FromMinutes(3));
        }
        finally
        {
            faults.Clear();
        }

        AssertReleasedOnceInOrder(s, await s.EventMessagesAsync());
    }

    [Fact]
    public async Task Two_replicas_the_leader_killed_mid_step_the_standby_takes_over_and_no_step_is_lost()
    {
        await using var s = await CanaryScenario.StartAsync(env, "takeover", Provider, output);
        var leader = env.Controller ?? throw new InvalidOperationException("the environment's controller is not running");
        await Wait.UntilAsync(() => leader.Services.GetRequiredService<ILeadership>().IsLeader, "the environment's controller leads");
        var standby = await ControllerInstance.StartAsync(env.ControllerOptions(), env.ControllerLogs, env.Options.ConfigureServices, default);
        try
        {
            var standbyLeadership = standby.Services.GetRequiredService<ILeadership>();
            await s.CreateAppAsync();
            await s.CreateCanaryAsync(Analysis());
            await s.WaitForPhaseAsync(CanaryPhase.Initialized);
            await s.EditTemplateAsync(image: Podinfo.NewImage);
            await s.WaitUntilAsync(c => c?.Status is { Phase: CanaryPhase.Progressing, CanaryWeight: 20 }, "Progressing at weight 20");
            Assert.False(standbyLeadership.IsLeader);

            var killed = Stopwatch.StartNew();
            await env.KillControllerAsync();
            while (!standbyLeadership.IsLeader && killed.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(10);
            }

            var takeover = killed.Elapsed;
            Assert.True(standbyLeadership.IsLeader, "the standby never took the lease");
            await s.WaitUntilAsync(c => c?.Status?.CanaryWeight >= 30, "the next step, by the new leader");
            var nextStep = killed.Elapsed;
            await s.WaitForPhaseAsync(CanaryPhase.Succeeded);

            AssertReleasedOnceInOrder(s, await s.EventMessagesAsync());
            Report(takeover, nextStep, env.ControllerOptions());
        }
        finally
        {
            await standby.DisposeAsync();
            await env.StartControllerAsync();
        }
    }

    // The figure the issue asks for, kept with the run (never asserted: it depends on the machine's load).
    private void Report(TimeSpan takeover, TimeSpan nextStep, Controller.Hosting.ControllerOptions options)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"leader killed mid-step: standby leads after {takeover.TotalSeconds:F2} s, next step written after {nextStep.TotalSeconds:F2} s (lease {options.LeaseDuration.TotalSeconds:F0} s, retry {options.RetryPeriod.TotalMilliseconds:F0} ms, analysis interval 2 s)");
        output.WriteLine(line);
        var folder = Path.Combine(Crds.RepositoryRoot(), "artifacts", "chaos");
        Directory.CreateDirectory(folder);
        File.AppendAllText(Path.Combine(folder, "takeover.txt"), $"{DateTimeOffset.UtcNow:O} {line}{Environment.NewLine}");
    }

    // Every step once, in order, on the route and in the status; one analysis (a revision detected once); promoted.
    private static void AssertReleasedOnceInOrder(CanaryScenario s, IReadOnlyList<string> events)
    {
        Assert.Equal([0, 10, 20, 30, 40, 50], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 10, 20, 30, 40, 50, 0], s.Observer.RouteWeights);
        Assert.Single(events, m => m == $"New revision detected! Scaling up podinfo.{s.Namespace}");
        Assert.DoesNotContain(events, m => m.StartsWith("New revision detected! Restarting analysis", StringComparison.Ordinal));
        var advanced = events.Where(m => m.StartsWith($"Advance podinfo.{s.Namespace} canary weight ", StringComparison.Ordinal))
            .Select(m => int.Parse(m.Split(' ')[^1], CultureInfo.InvariantCulture)).Distinct().ToList();
        Assert.Equal([10, 20, 30, 40, 50], advanced);
        Assert.DoesNotContain(CanaryPhase.Failed, s.Observer.Phases);
    }
}
