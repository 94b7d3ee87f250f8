using Canary.Api.V1Beta1;
using Canary.Sandbox.ApiServer.Patching;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.Demo;
using Canary.Sandbox.Traffic;

namespace Canary.Sandbox.Scenarios;

/// <summary>
/// Plays one <see cref="ReleaseRun"/> as a user would: installs the app (primary behaviour) and its Canary, then
/// releases the canary behaviour as a new revision, applies the scenario's behaviour changes on time (run-time
/// overrides, not revisions), and waits for the Canary to be promoted or rolled back.
/// </summary>
internal sealed class ReleaseDriver(ReleaseRun run, DemoEnvironment environment, CanaryPhaseBoard board, TimeScale scale, TimeSpan deadline, TimeProvider time)
{
    private static readonly GroupVersionResource Canaries = new(CanaryApi.Group, CanaryApi.Version, Api.V1Beta1.Canary.KubePluralName);

    private ObjectStore Store => environment.Cluster.Store;

    private TrafficSimulator Traffic => environment.Traffic;

    public ReleaseRun Run => run;

    /// <summary>Creates the namespace, the Deployment at v1 with the primary's behaviour, the Canary, and starts its clients.</summary>
    public void Install()
    {
        var ns = run.Namespace;
        Store.Create(BuiltInResources.Namespaces, null, ScenarioManifests.Namespace(ns));
        if (ScenarioManifests.Ingress(run) is { } ingress)
        {
            Store.Create(BuiltInResources.Ingresses, ns, ingress);
        }

        Store.Create(BuiltInResources.Deployments, ns, ScenarioManifests.Deployment(ns, "v1", run.Scenario.Primary));
        Store.Create(Canaries, ns, ScenarioManifests.Canary(run, scale));
        Traffic.AddApp(new TrafficApp
        {
            Namespace = ns,
            Name = ScenarioManifests.AppName,
            Provider = run.Scenario.Provider,
            RequestsPerSecond = scale.Rate(run.Scenario.RequestsPerSecond),
            Ingress = DemoProfile.For(run.Scenario.Provider).Ingress,
            Seed = run.Seed,
        });
    }

    /// <summary>True once the Canary is Initialized (false at <paramref name="deadline"/>).</summary>
    public Task<bool> WaitInitializedAsync(DateTimeOffset deadline, CancellationToken cancellationToken) =>
        board.WaitAsync(run.Namespace, p => p == CanaryPhase.Initialized, deadline, cancellationToken);

    /// <summary>Applies v2 with the canary's behaviour and follows the release to its decision or the policy's deadline.</summary>
    public async Task<RunOutcome> ReleaseAsync(CancellationToken cancellationToken)
    {
        var ns = run.Namespace;
        var before = Traffic.Statistics(ns, ScenarioManifests.AppName);
        Store.Patch(BuiltInResources.Deployments, ns, ScenarioManifests.AppName, PatchType.Merge, ScenarioManifests.ReleasePatch(ns, "v2", run.Scenario.Canary));
        var released = time.GetUtcNow();
        using var stopChanges = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var changes = ApplyChangesAsync(released, stopChanges.Token);
        var decided = await board.WaitAsync(ns, Decided, released + scale.ToWall(deadline), cancellationToken).ConfigureAwait(false);
        var elapsed = time.GetUtcNow() - released;
        var served = Traffic.Statistics(ns, ScenarioManifests.AppName).Since(before);

        // The run is over: its clients stop (less work for the others) and pending changes are dropped.
        Traffic.RemoveApp(ns, ScenarioManifests.AppName);
        await stopChanges.CancelAsync().ConfigureAwait(false);
        await changes.ConfigureAwait(false);
        Verdict? decision = !decided ? null : board.Phase(ns) == CanaryPhase.Succeeded ? Verdict.Promote : Verdict.Rollback;
        var reason = decision == Verdict.Rollback ? LastFailedCheck(ns) : null;
        return new RunOutcome(run, decision, scale.ToScenario(elapsed), served.Total, served.Count(k => k.StatusCode >= 500), reason);
    }

    private static bool Decided(CanaryPhase phase) => phase is CanaryPhase.Succeeded or CanaryPhase.Failed;

    private async Task ApplyChangesAsync(DateTimeOffset released, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var change in run.Scenario.Changes)
            {
                var wait = released + scale.ToWall(change.At) - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }

                if (change.Primary is { } primary)
                {
                    Traffic.BehaviorOverrides.Set(run.Namespace, ScenarioManifests.PrimaryWorkload, primary);
                }

                if (change.Canary is { } canary)
                {
                    Traffic.BehaviorOverrides.Set(run.Namespace, ScenarioManifests.CanaryWorkload, canary);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The release was decided before every change was due.
        }
    }

    // Why a release was rolled back, so a wrong decision in the table can be understood without replaying it.
    private string? LastFailedCheck(string ns)
    {
        var checks = Store.Get(Canaries, ns, ScenarioManifests.AppName)["status"]?["checks"]?.AsArray() ?? [];
        return checks.LastOrDefault(c => c?["verdict"]?.GetValue<string>() == CheckVerdicts.Fail)?["message"]?.GetValue<string>();
    }
}
