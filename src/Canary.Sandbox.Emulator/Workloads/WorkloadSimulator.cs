using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.ApiServer.Watch;
using Canary.Sandbox.Workloads.Controllers;
using Canary.Sandbox.Workloads.Internal;

namespace Canary.Sandbox.Workloads;

/// <summary>
/// Plays the cluster's built-in controllers and kubelet against an in-process <see cref="ObjectStore"/>: Deployments
/// get ReplicaSets, Pods and the status the real controller writes; DaemonSets run one pod per simulated node; HPAs
/// hold their target within [min, max]; once the serving.knative.dev CRDs are served, Knative Services get Revisions,
/// their Deployments and private Services, and the status Knative Serving writes (<see cref="KnativeServingController"/>).
/// It watches the store and reacts at once; "ready after N seconds" runs off one timer on the injected
/// <see cref="TimeProvider"/>. It writes to the store directly, so its writes never appear in the API server's request
/// counters or fault injection.
/// </summary>
public sealed class WorkloadSimulator : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly WorkloadSimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ReconcileQueue _queue = new();
    private readonly DelayQueue<WorkKey> _delays;
    private readonly EventRouter _router;
    private readonly ServedResourceSignal _served;
    private readonly Dictionary<WorkKind, Action<string, string>> _reconcilers;
    private readonly List<Task> _loops = [];

    private WorkloadSimulator(ObjectStore store, WorkloadSimulatorOptions options, TimeProvider time)
    {
        _store = store;
        _options = options;
        _time = time;
        _delays = new DelayQueue<WorkKey>(time, _queue.Add);
        var context = new SimulatorContext(store, time, options, _delays.Schedule);
        var kubelet = new KubeletSimulator(context);
        _router = new EventRouter(_queue, kubelet);
        _served = new ServedResourceSignal(store, time);
        var knative = new KnativeServingController(context);
        _reconcilers = new Dictionary<WorkKind, Action<string, string>>
        {
            [WorkKind.Pod] = kubelet.Reconcile,
            [WorkKind.ReplicaSet] = new ReplicaSetController(context).Reconcile,
            [WorkKind.Deployment] = new DeploymentController(context).Reconcile,
            [WorkKind.DaemonSet] = new DaemonSetController(context).Reconcile,
            [WorkKind.HorizontalPodAutoscaler] = new HorizontalPodAutoscalerController(context).Reconcile,
            [WorkKind.KnativeService] = knative.ReconcileService,
            [WorkKind.KnativeRevision] = knative.ReconcileRevision,
        };
    }

    /// <summary>Starts watching <paramref name="store"/>; objects already there are reconciled first.</summary>
    public static Task<WorkloadSimulator> StartAsync(ObjectStore store, WorkloadSimulatorOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        cancellationToken.ThrowIfCancellationRequested();
        var simulator = new WorkloadSimulator(store, options ?? new WorkloadSimulatorOptions(), time ?? store.Time);
        simulator.Start();
        return Task.FromResult(simulator);
    }

    /// <summary>Stops the watches and the worker.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected on stop.
        }

        _delays.Dispose();
        _stopping.Dispose();
    }

    private void Start()
    {
        var ct = _stopping.Token;

        // Each watch starts with ADDED events for what exists, so nothing created before the subscription is missed.
        _loops.Add(Task.Run(() => WatchAsync(BuiltInResources.Pods, _router.OnPod, ct), ct));
        _loops.Add(Task.Run(() => WatchAsync(BuiltInResources.ReplicaSets, _router.OnReplicaSet, ct), ct));
        _loops.Add(Task.Run(() => WatchAsync(BuiltInResources.Deployments, _router.OnDeployment, ct), ct));
        _loops.Add(Task.Run(() => WatchAsync(BuiltInResources.DaemonSets, _router.OnDaemonSet, ct), ct));
        _loops.Add(Task.Run(() => WatchAsync(BuiltInResources.HorizontalPodAutoscalers, _router.OnHpa, ct), ct));

        // A Knative Service is reconciled with its Revisions, so its watch (whose replay is what first queues it) waits for both CRDs.
        _loops.Add(Task.Run(() => _served.RunAsync(ct), ct));
        _loops.Add(Task.Run(() => WatchWhenServedAsync(KnativeServingController.Services, [KnativeServingController.Services, KnativeServingController.Revisions], _router.OnKnativeService, ct), ct));
        _loops.Add(Task.Run(() => WatchWhenServedAsync(KnativeServingController.Revisions, [KnativeServingController.Revisions], _router.OnKnativeRevision, ct), ct));
        _loops.Add(Task.Run(() => WorkAsync(ct), ct));
    }

    private async Task WatchAsync(GroupVersionResource gvr, Action<WatchEvent> onEvent, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await WatchOnceAsync(gvr, onEvent, ct).ConfigureAwait(false);
        }
    }

    // A custom resource: wait for its CRD (and the others it needs), and again after the CRD is removed.
    private async Task WatchWhenServedAsync(GroupVersionResource gvr, GroupVersionResource[] required, Action<WatchEvent> onEvent, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            foreach (var resource in required)
            {
                await _served.WaitForAnyAsync([resource], ct).ConfigureAwait(false);
            }

            try
            {
                await WatchOnceAsync(gvr, onEvent, ct).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // The CRD went away between the check and the watch: wait for it again.
            }
        }
    }

    private async Task WatchOnceAsync(GroupVersionResource gvr, Action<WatchEvent> onEvent, CancellationToken ct)
    {
        // A watch only ends on an error event or a removed resource; watching again from scratch replays the state.
        await foreach (var e in _store.WatchAsync(gvr, null, new WatchOptions(), ct).ConfigureAwait(false))
        {
            if (e.Type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted)
            {
                onEvent(e);
            }
            else if (e.Type == WatchEventType.Error)
            {
                return;
            }
        }
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var key = await _queue.TakeAsync(ct).ConfigureAwait(false);
            try
            {
                _reconcilers[key.Kind](key.Namespace, key.Name);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // The object (or its namespace) went away meanwhile; its deletion event settles the rest.
            }
            catch (ApiException e) when (e.Code == 409 && e.Reason == "Conflict")
            {
                // Someone wrote in between: look again with the fresh version.
                _queue.Add(key);
            }
#pragma warning disable CA1031 // One bad object must not stop the simulator; it is reported and retried.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                _options.OnError?.Invoke(key.ToString(), e);
                _delays.Schedule(key, _time.GetUtcNow() + _options.RetryDelay);
            }
        }
    }
}
