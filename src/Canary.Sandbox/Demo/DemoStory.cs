using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Sandbox.ApiServer.Patching;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;

namespace Canary.Sandbox.Demo;

/// <summary>
/// The story as code: install podinfo and its Canary, then release v2 (healthy: promoted), v3 (8% errors: rolled back)
/// and v4 (p99 regressed only: rolled back by the request-duration check). Each step changes the cluster as a user
/// would, then follows the Canary's status with a bounded wait, printing a live line per change.
/// </summary>
public sealed class DemoStory
{
    /// <summary>The releases after the install, with what the story expects of each.</summary>
    public static IReadOnlyList<(AppRelease Release, string Change, StepOutcome Expected)> Releases { get; } =
    [
        (AppRelease.Healthy("v2"), "healthy new version", StepOutcome.Promoted),
        (AppRelease.Healthy("v3") with { ErrorRate = 0.08 }, "8% of requests fail (HTTP 500)", StepOutcome.RolledBack),
        (AppRelease.Healthy("v4") with { LatencyP99 = TimeSpan.FromMilliseconds(1500) }, "p99 latency 50ms → 1500ms", StepOutcome.RolledBack),
    ];

    private static readonly GroupVersionResource Canaries = new(CanaryApi.Group, CanaryApi.Version, Api.V1Beta1.Canary.KubePluralName);
    private static readonly GroupVersionResource MetricTemplates = new(CanaryApi.Group, CanaryApi.Version, MetricTemplate.KubePluralName);

    private readonly DemoEnvironment _environment;
    private readonly DemoPrinter _printer;
    private readonly TimeProvider _time;
    private readonly ObjectStore _store;
    private readonly CanaryObserver _observer;
    private readonly DemoMetricsReader _metrics;

    /// <summary>A story over a started <paramref name="environment"/>, printed by <paramref name="printer"/>.</summary>
    public DemoStory(DemoEnvironment environment, DemoPrinter printer)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(printer);
        _environment = environment;
        _printer = printer;
        _time = environment.Options.TimeProvider;
        _store = environment.Cluster.Store;
        _observer = new CanaryObserver(_store);
        _metrics = new DemoMetricsReader(environment.Prometheus, TimeSpan.FromSeconds(5), Profile.KnativeService ? KnativePods : DemoMetricsReader.DeploymentPods);
    }

    private DemoProfile Profile => _environment.Options.Profile;

    private DemoTimings Timings => _environment.Options.Timings;

    /// <summary>Plays the four steps; stops at the first step that does not end as expected.</summary>
    public async Task<DemoReport> RunAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var steps = new List<StepReport>();
        string? error = null;
        try
        {
            var step = await InstallAsync(cancellationToken).ConfigureAwait(false);
            steps.Add(step);
            for (var i = 0; i < Releases.Count && step.AsExpected; i++)
            {
                if (step.Actual != StepOutcome.Initialized)
                {
                    // The canary's series still hold the last release's requests for one metric window: wait it out, so
                    // the next verdict (and its reason) is about the next release alone.
                    await Task.Delay(Timings.Settle, _time, cancellationToken).ConfigureAwait(false);
                }

                var (release, change, expected) = Releases[i];
                step = await ReleaseAsync(i + 2, release, change, expected, cancellationToken).ConfigureAwait(false);
                steps.Add(step);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = $"{e.GetType().Name}: {e.Message}";
        }

        return new DemoReport(Profile.Provider, Profile.BlueGreen, steps, _time.GetUtcNow() - started, error);
    }

    private async Task<StepReport> InstallAsync(CancellationToken cancellationToken)
    {
        const string change = "podinfo v1 + its Canary";
        _printer.StepStarted(1, "install", $"{change} ({Profile.Provider})");
        _store.Create(BuiltInResources.Namespaces, null, DemoManifests.NamespaceObject());
        if (Profile.Ingress is { } ingress)
        {
            _store.Create(BuiltInResources.Ingresses, DemoManifests.Namespace, DemoManifests.Ingress(ingress, Profile.Provider));
        }

        if (Profile.ApisixRoute is { } route)
        {
            _store.Create(DemoCrds.ApisixRoutes, DemoManifests.Namespace, DemoManifests.ApisixRoute(route));
        }

        if (Profile.KnativeService)
        {
            _store.Create(DemoCrds.KnativeServices, DemoManifests.Namespace, DemoManifests.KnativeService(AppRelease.Healthy("v1")));
        }
        else
        {
            _store.Create(BuiltInResources.Deployments, DemoManifests.Namespace, DemoManifests.Deployment(AppRelease.Healthy("v1")));
        }

        var templates = (_environment.InfluxDb, _environment.Graphite) switch
        {
            ({ } influxDb, _) => DemoManifests.InfluxDbTemplates(influxDb.Url),
            (_, { } graphite) => DemoManifests.GraphiteTemplates(graphite.Url),
            _ => [],
        };
        foreach (var template in templates)
        {
            _store.Create(MetricTemplates, DemoManifests.Namespace, template);
        }

        _store.Create(Canaries, DemoManifests.Namespace, DemoManifests.Canary(Profile, Timings, _environment.LoadTesterUrl));
        return await FollowAsync("install", change, StepOutcome.Initialized, s => s.Phase == CanaryPhase.Initialized ? StepOutcome.Initialized : null, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<StepReport> ReleaseAsync(int number, AppRelease release, string change, StepOutcome expected, CancellationToken cancellationToken)
    {
        _printer.StepStarted(number, $"release {release.Version}", change);
        var before = _observer.Read().LastAppliedSpec;
        _observer.SkipExistingEvents();

        // What `kubectl apply` of the new manifest amounts to: a new image and the release's behaviour on the pod template.
        var (resource, manifest) = Profile.KnativeService
            ? (DemoCrds.KnativeServices, DemoManifests.KnativeService(release))
            : (BuiltInResources.Deployments, DemoManifests.Deployment(release));
        var template = (JsonObject)manifest["spec"]!["template"]!.DeepClone();
        _store.Patch(resource, DemoManifests.Namespace, DemoManifests.AppName, PatchType.Merge,
            new JsonObject { ["spec"] = new JsonObject { ["template"] = template } });
        return await FollowAsync(release.Version, change, expected, s => s.LastAppliedSpec != before ? Ended(s.Phase) : null, cancellationToken)
            .ConfigureAwait(false);
    }

    // Knative's pods are <revision>-deployment-<hash>-<suffix>: the primary revision's and the latest one's, as the
    // Knative Service names them now.
    private (string Primary, string Canary) KnativePods()
    {
        var service = _store.Get(DemoCrds.KnativeServices, DemoManifests.Namespace, DemoManifests.AppName);
        var latest = (string?)service["status"]?["latestCreatedRevisionName"] ?? "none";
        var primary = (string?)service["metadata"]?["annotations"]?[Providers.Builders.KnativeTrafficBuilder.PrimaryRevisionAnnotation] ?? latest;
        return (DemoMetricsReader.RevisionPods(primary), DemoMetricsReader.RevisionPods(latest));
    }

    private static StepOutcome? Ended(CanaryPhase phase) => phase switch
    {
        CanaryPhase.Succeeded => StepOutcome.Promoted,
        CanaryPhase.Failed => StepOutcome.RolledBack,
        _ => null,
    };

    // Polls status, events and Prometheus until `outcome` answers or the step times out; records what it saw.
    private async Task<StepReport> FollowAsync(
        string name, string change, StepOutcome expected, Func<CanarySnapshot, StepOutcome?> outcome, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var trace = new StepTrace();
        CanarySnapshot? shown = null;
        var sampledAt = DateTimeOffset.MinValue;
        while (true)
        {
            var snapshot = _observer.Read();
            var warnings = _observer.NewWarnings();
            var ended = outcome(snapshot);
            var changed = shown is null || !snapshot.SameStep(shown) || warnings.Count > 0 || ended is not null;

            // Prometheus is read on every change and at least once a second (for the worst values the canary showed).
            if (changed || _time.GetUtcNow() - sampledAt >= TimeSpan.FromSeconds(1))
            {
                sampledAt = _time.GetUtcNow();
                var sample = await _metrics.ReadAsync(cancellationToken).ConfigureAwait(false);
                trace.Record(snapshot, sample, warnings);
                if (shown is null || !snapshot.SameStep(shown))
                {
                    _printer.Live(name, snapshot, sample, Timings.Threshold, Profile.BlueGreen);
                    shown = snapshot;
                }

                foreach (var check in _observer.NewChecks())
                {
                    trace.Record(check);
                    _printer.Check(check);
                }

                foreach (var warning in warnings)
                {
                    _printer.Warning(warning);
                }
            }

            var elapsed = _time.GetUtcNow() - started;
            if (ended is not null || elapsed > Timings.StepTimeout)
            {
                var report = trace.ToReport(name, change, expected, ended ?? StepOutcome.TimedOut, elapsed);
                _printer.StepEnded(report);
                return report;
            }

            await Task.Delay(Timings.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
