using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;

namespace Canary.Sandbox.ApiServer.Watch;

/// <summary>
/// Wakes watchers waiting for a custom resource to be served (the traffic simulator's HTTPRoute and VirtualService
/// caches, the workload simulator's Knative Services): one watch on CRDs, and a completion source replaced on every CRD
/// event, so a waiter never misses the CRD that arrives while it checks.
/// </summary>
internal sealed class ServedResourceSignal(ObjectStore store, TimeProvider time)
{
    private TaskCompletionSource _changed = NewSource();

    /// <summary>The first served candidate, waiting for CRD events until one is.</summary>
    public async Task<GroupVersionResource> WaitForAnyAsync(IReadOnlyList<GroupVersionResource> candidates, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = Volatile.Read(ref _changed).Task;
            foreach (var gvr in candidates)
            {
                if (store.Registry.TryGet(gvr, out _))
                {
                    return gvr;
                }
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Follows CRD changes until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var _ in store.WatchAsync(BuiltInResources.CustomResourceDefinitions, null, null, cancellationToken).ConfigureAwait(false))
                {
                    Interlocked.Exchange(ref _changed, NewSource()).TrySetResult();
                }
            }
            catch (ApiException)
            {
                // The store answered a watch error; watching again from now is enough for a wake-up signal.
            }

            // Pause before re-watching so a store that keeps ending watches is not spun on.
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
