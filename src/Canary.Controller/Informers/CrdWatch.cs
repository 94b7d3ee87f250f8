using System.Collections.Concurrent;
using Canary.Kubernetes.Resources;
using k8s.Models;

namespace Canary.Controller.Informers;

/// <summary>
/// One watch on CustomResourceDefinitions (metadata only: the schemas of a mesh's CRDs run to megabytes) that wakes
/// the informers of kinds not served yet when their CRD appears or changes, so a cluster without Istio, Gateway API
/// or any other provider's CRDs costs no request at all while idle, instead of a GET per missing kind every
/// <see cref="InformerOptions.NotServedRetry"/>. Where the account may not watch CRDs it falls back to that retry.
/// </summary>
public sealed class CrdWatch
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _changed = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Wraps <paramref name="informer"/>, an informer of CRD metadata (see <see cref="KubeSources.CrdMetadata"/>).</summary>
    public CrdWatch(ResourceInformer<V1CustomResourceDefinition> informer, TimeProvider time)
    {
        Informer = informer ?? throw new ArgumentNullException(nameof(informer));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        informer.AddHandler(e =>
        {
            if (e.Current.Metadata?.Name is { } name && _changed.TryRemove(name, out var changed))
            {
                changed.TrySetResult();
            }
        });
    }

    /// <summary>The CRD informer (run with the others).</summary>
    public ResourceInformer<V1CustomResourceDefinition> Informer { get; }

    /// <summary>The wait of <paramref name="kind"/>, whose CRD is named <c>plural.group</c>.</summary>
    public INotServedWait For(ResourceKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return new Waiter(this, $"{kind.Plural}.{kind.Group}");
    }

    private string Snapshot(string name) =>
        Informer.Store.Get(null, name)?.Metadata?.ResourceVersion is { } version ? version : "absent";

    private async Task WaitAsync(string name, string snapshot, TimeSpan fallback, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!Informer.IsServed)
            {
                await Task.Delay(fallback, _time, cancellationToken).ConfigureAwait(false);
                return;
            }

            // The store is updated before handlers run: a change between these two lines is seen by the check.
            var changed = _changed.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (Snapshot(name) != snapshot)
            {
                return;
            }

            await changed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Waiter(CrdWatch watch, string name) : INotServedWait
    {
        public string Snapshot() => watch.Snapshot(name);

        public Task WaitAsync(string snapshot, TimeSpan fallback, CancellationToken cancellationToken) =>
            watch.WaitAsync(name, snapshot, fallback, cancellationToken);
    }
}
