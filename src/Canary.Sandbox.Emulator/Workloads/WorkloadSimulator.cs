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
/// hold their target within [min, max]. It watches the store and reacts at once; "ready after N seconds" runs off one
/// timer on the injected <see cref="TimeProvider"/>. It writes to the store directly, so its writes never appear in
/// the API server's request counters or fault injection.
/// </summary>
public sealed class WorkloadSimulator : IAsyncDisposable
{
    private readonly ObjectStore store;
    private readonly WorkloadSimulatorOptions options;
    private readonly TimeProvider time;
    private readonly CancellationTokenSource stopping = new();
    private readonly WorkQueue queue = new();
    private readonly DelayQueue<WorkKey> delays;
    private readonly EventRouter router;
    private readonly Dictionary<WorkKind, Action<string, string>> reconcilers;
    private readonly List<Task> loops = [];

    private WorkloadSimulator(ObjectStore store, WorkloadSimulatorOptions options, TimeProvider time)
    {
        this.store = store;
        this.options = options;
        this.time = time;
        delays = new DelayQueue<WorkKey>(time, queue.Add);
        var context = new SimulatorContext(store, time, options, delays.Schedule);
        var kubelet = new KubeletSimulator(context);
        router = new EventRouter(queue, kubelet);
        reconcilers = new Dictionary<WorkKind, Action<string, string>>
        {
            [WorkKind.Pod] = kubelet.Reconcile,
            [WorkKind.ReplicaSet] = new ReplicaSetController(context).Reconcile,
            [WorkKind.Deployment] = new DeploymentController(context).Reconcile,
            [WorkKind.DaemonSet] = new DaemonSetController(context).Reconcile,
            [WorkKind.HorizontalPodAutoscaler] = new HorizontalPodAutoscalerController(context).Reconcile,
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
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected on stop.
        }

        delays.Dispose();
        stopping.Dispose();
    }

    private void Start()
    {
        var ct = stopping.Token;

        // Each watch starts with ADDED events for what exists, so nothing created before the subscription is missed.
        loops.Add(Task.Run(() => WatchAsync(BuiltInResources.Pods, router.OnPod, ct), ct));
        loops.Add(Task.Run(() => WatchAsync(BuiltInResources.ReplicaSets, router.OnReplicaSet, ct), ct));
        loops.Add(Task.Run(() => WatchAsync(BuiltInResources.Deployments, router.OnDeployment, ct), ct));
        loops.Add(Task.Run(() => WatchAsync(BuiltInResources.DaemonSets, router.OnDaemonSet, ct), ct));
        loops.Add(Task.Run(() => WatchAsync(BuiltInResources.HorizontalPodAutoscalers, router.OnHpa, ct), ct));
        loops.Add(Task.Run(() => WorkAsync(ct), ct));
    }

    private async Task WatchAsync(GroupVersionResource gvr, Action<WatchEvent> onEvent, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            // A watch only ends on an error event or a removed resource; watching again from scratch replays the state.
            await foreach (var e in store.WatchAsync(gvr, null, new WatchOptions(), ct).ConfigureAwait(false))
            {
                if (e.Type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted)
                {
                    onEvent(e);
                }
                else if (e.Type == WatchEventType.Error)
                {
                    break;
                }
            }
        }
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var key = await queue.TakeAsync(ct).ConfigureAwait(false);
            try
            {
                reconcilers[key.Kind](key.Namespace, key.Name);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // The object (or its namespace) went away meanwhile; its deletion event settles the rest.
            }
            catch (ApiException e) when (e.Code == 409 && e.Reason == "Conflict")
            {
                // Someone wrote in between: look again with the fresh version.
                queue.Add(key);
            }
#pragma warning disable CA1031 // One bad object must not stop the simulator; it is reported and retried.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                options.OnError?.Invoke(key.ToString(), e);
                delays.Schedule(key, time.GetUtcNow() + options.RetryDelay);
            }
        }
    }
}
