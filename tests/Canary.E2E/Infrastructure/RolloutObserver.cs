using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Api.Serialization;
using Canary.Api.V1Beta1;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.ApiServer.Watch;

namespace Canary.E2E.Infrastructure;

/// <summary>One distinct state of a Canary's status as seen by the watch.</summary>
public sealed record StatusSample(CanaryPhase Phase, int Weight, int FailedChecks, int Iterations)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Phase} w{Weight} f{FailedChecks} i{Iterations}");
}

/// <summary>
/// Follows one Canary with two watches on the sandbox store (every change, nothing missed between polls): the status
/// (phase, weight, failed checks, iterations) and the provider's routing object (canary weight as routed). Consecutive
/// identical values are collapsed, so a sequence shows each step once; a repeat means the rollout went back.
/// </summary>
public sealed class RolloutObserver : IAsyncDisposable
{
    private readonly List<StatusSample> _statuses = [];
    private readonly List<int> _routeWeights = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private readonly object _gate = new();

    private RolloutObserver(ObjectStore store, string ns, string name, RouteProbe? route)
    {
        var tasks = new List<Task> { Task.Run(() => WatchAsync(store, Crds.Canaries, ns, name, OnCanary, _stop.Token)) };
        if (route is not null)
        {
            tasks.Add(Task.Run(() => WatchAsync(store, route.Resource, route.ClusterScoped ? null : ns, route.ObjectName, o => OnRoute(route, o), _stop.Token)));
        }

        _watching = Task.WhenAll(tasks);
    }

    /// <summary>Starts watching now; objects that already exist are seen at once.</summary>
    public static RolloutObserver Start(ObjectStore store, string ns, string name, RouteProbe? route) => new(store, ns, name, route);

    /// <summary>Every distinct status seen, in order.</summary>
    public IReadOnlyList<StatusSample> Statuses
    {
        get
        {
            lock (_gate)
            {
                return [.. _statuses];
            }
        }
    }

    /// <summary>Every distinct canary weight the routing object carried, in order.</summary>
    public IReadOnlyList<int> RouteWeights
    {
        get
        {
            lock (_gate)
            {
                return [.. _routeWeights];
            }
        }
    }

    /// <summary>Distinct phases in order.</summary>
    public IReadOnlyList<CanaryPhase> Phases => Collapse(Statuses.Select(s => s.Phase));

    /// <summary>status.canaryWeight over the samples in <paramref name="phases"/>, consecutive duplicates collapsed.</summary>
    public IReadOnlyList<int> StatusWeights(params CanaryPhase[] phases) =>
        Collapse(Statuses.Where(s => phases.Length == 0 || phases.Contains(s.Phase)).Select(s => s.Weight));

    /// <summary>A readable account of what was seen, for assertion messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("statuses: ").AppendJoin(" → ", Statuses).AppendLine();
        text.Append("route canary weights: ").AppendJoin(", ", RouteWeights).AppendLine();
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watching;
        }
        catch (OperationCanceledException)
        {
            // The watches end by cancellation.
        }

        _stop.Dispose();
    }

    private static List<T> Collapse<T>(IEnumerable<T> values)
    {
        var result = new List<T>();
        foreach (var value in values)
        {
            if (result.Count == 0 || !EqualityComparer<T>.Default.Equals(result[^1], value))
            {
                result.Add(value);
            }
        }

        return result;
    }

    private static async Task WatchAsync(ObjectStore store, GroupVersionResource resource, string? ns, string name, Action<JsonObject> onChange, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // A fresh watch replays the current state; a duplicate is collapsed by the recorder, so restarting is safe.
            await foreach (var e in store.WatchAsync(resource, ns, new WatchOptions(), cancellationToken))
            {
                if (e.Type is WatchEventType.Added or WatchEventType.Modified && (string?)e.Value["metadata"]?["name"] == name)
                {
                    onChange(e.Value);
                }
            }
        }
    }

    private void OnCanary(JsonObject obj)
    {
        var canary = obj.Deserialize<CanaryResource>(CanaryJson.Options);
        if (canary?.Status is not { } status)
        {
            return;
        }

        var sample = new StatusSample(status.Phase ?? CanaryPhase.None, status.CanaryWeight ?? 0, status.FailedChecks ?? 0, status.Iterations ?? 0);
        lock (_gate)
        {
            if (_statuses.Count == 0 || _statuses[^1] != sample)
            {
                _statuses.Add(sample);
            }
        }
    }

    private void OnRoute(RouteProbe probe, JsonObject obj)
    {
        if (probe.CanaryWeight(obj) is not { } weight)
        {
            return;
        }

        lock (_gate)
        {
            if (_routeWeights.Count == 0 || _routeWeights[^1] != weight)
            {
                _routeWeights.Add(weight);
            }
        }
    }
}
