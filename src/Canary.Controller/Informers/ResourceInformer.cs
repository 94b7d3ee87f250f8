using Canary.Controller.Kubernetes;
using Canary.Controller.Queue;
using Canary.Controller.Telemetry;
using Canary.Kubernetes.Errors;
using Microsoft.Extensions.Logging;
using k8s;
using k8s.Models;

namespace Canary.Controller.Informers;

/// <summary>
/// Keeps <see cref="Store"/> equal to the API server's state of one kind: list (paged), then watch from the list's
/// resourceVersion with bookmarks; after a dropped or timed-out watch resume from the last seen resourceVersion;
/// on 410 Gone relist and emit the differences as events. Handlers run on the informer's loop, so keep them cheap
/// (map to a key and enqueue). No polling: a kind that is not served (404, CRD missing) is looked for again when its
/// CRD changes (<see cref="INotServedWait"/>), or slowly when CRDs cannot be watched.
/// </summary>
public sealed class ResourceInformer<T> : IResourceInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IListWatchSource<T> _source;
    private readonly InformerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ControllerMetrics? _metrics;
    private readonly ExponentialBackoff _backoff;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Action<ResourceEvent<T>>> _handlers = [];
    private readonly INotServedWait? _notServed;
    private volatile bool _served = true;

    /// <summary>Creates an informer over <paramref name="source"/>.</summary>
    public ResourceInformer(
        IListWatchSource<T> source, InformerOptions options, TimeProvider time, ILogger logger, ControllerMetrics? metrics = null, INotServedWait? notServed = null)
    {
        _notServed = notServed;
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _metrics = metrics;
        _backoff = new ExponentialBackoff(options.ErrorBackoffBase, options.ErrorBackoffMax);
        _metrics?.TrackInformer(Kind, () => HasSynced, () => Store.Count);
    }

    /// <inheritdoc />
    public string Kind => _source.Kind;

    /// <summary>The cache.</summary>
    public CacheStore<T> Store { get; } = new();

    /// <inheritdoc />
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <inheritdoc />
    public bool IsServed => _served;

    /// <summary>The last resourceVersion seen (list, event or bookmark); empty before the first list.</summary>
    public string LastResourceVersion { get; private set; } = string.Empty;

    /// <summary>Registers a handler of cache changes. Register before <see cref="RunAsync"/> to see the initial list.</summary>
    public void AddHandler(Action<ResourceEvent<T>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_handlers)
        {
            _handlers.Add(handler);
        }
    }

    /// <inheritdoc />
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        var failures = 0;
        var crdState = string.Empty;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    // Taken before the list, so a CRD created between a 404 and the wait still wakes it.
                    crdState = _notServed?.Snapshot() ?? string.Empty;
                    resourceVersion = await RelistAsync(cancellationToken).ConfigureAwait(false);
                    failures = 0;
                }

                resourceVersion = await WatchAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                failures = 0;
                Restarted("closed");
                InformerLog.WatchEnded(_logger, Kind, resourceVersion);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (KubeErrors.IsGone(e))
            {
                InformerLog.Expired(_logger, Kind);
                Restarted("expired");
                resourceVersion = null;
            }
            catch (Exception e) when (KubeErrors.IsNotFound(e) || (_options.ForbiddenIsNotServed && KubeErrors.IsForbidden(e)))
            {
                resourceVersion = null;
                await NotServedAsync(crdState, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Resume from the last event applied before the stream broke, not from where the watch began.
                if (resourceVersion is not null)
                {
                    resourceVersion = LastResourceVersion;
                }

                failures++;
                var delay = _backoff.Delay(failures);
                InformerLog.Failed(_logger, e, Kind, failures, delay);
                Restarted("error");
                await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<string> RelistAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        var resourceVersion = string.Empty;
        while (true)
        {
            ListPage<T> page;
            try
            {
                page = await _source.ListAsync(continueToken, _options.PageSize, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (continueToken is not null && KubeErrors.IsGone(e))
            {
                // The continue token expired between pages: start the list over.
                items.Clear();
                continueToken = null;
                continue;
            }

            items.AddRange(page.Items);
            continueToken = page.Continue;
            resourceVersion = page.ResourceVersion;
            if (continueToken is null)
            {
                break;
            }
        }

        _metrics?.InformerRelists.Add(1, new KeyValuePair<string, object?>("kind", Kind));
        _served = true;
        var events = Store.Replace(items);
        LastResourceVersion = resourceVersion;
        InformerLog.Listed(_logger, Kind, items.Count, resourceVersion);
        Dispatch(events);
        _synced.TrySetResult();
        return resourceVersion;
    }

    private async Task<string> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var timeout = (int)(_options.WatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble()));
        // Watchdog: the server ends a watch at its timeout; one silent well past that is a dead connection.
        using var watchdog = new CancellationTokenSource(TimeSpan.FromSeconds(timeout) + _options.WatchdogGrace, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, watchdog.Token);
        try
        {
            await foreach (var (type, item) in _source.WatchAsync(resourceVersion, timeout, linked.Token).ConfigureAwait(false))
            {
                resourceVersion = item.Metadata?.ResourceVersion is { Length: > 0 } rv ? rv : resourceVersion;
                LastResourceVersion = resourceVersion;
                Apply(type, item);
            }
        }
        catch (OperationCanceledException) when (watchdog.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            InformerLog.Watchdog(_logger, Kind);
        }

        return resourceVersion;
    }

    private void Apply(WatchEventType type, T item)
    {
        ResourceEvent<T>? change = null;
        switch (type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                var old = Store.Upsert(item);
                change = old is null
                    ? new ResourceEvent<T>(ResourceEventType.Added, item)
                    : new ResourceEvent<T>(ResourceEventType.Updated, item, old);
                break;
            case WatchEventType.Deleted:
                var gone = Store.Remove(item);
                change = gone is null ? null : new ResourceEvent<T>(ResourceEventType.Deleted, item);
                break;
            default:
                // Bookmarks only move the resume point.
                break;
        }

        _metrics?.InformerEvents.Add(1, new("kind", Kind), new("type", type.ToString()));
        if (change is not null)
        {
            Dispatch([change]);
        }
    }

    private void Dispatch(IReadOnlyList<ResourceEvent<T>> events)
    {
        Action<ResourceEvent<T>>[] handlers;
        lock (_handlers)
        {
            handlers = [.. _handlers];
        }

        foreach (var change in events)
        {
            foreach (var handler in handlers)
            {
                try
                {
                    handler(change);
                }
                catch (Exception e)
                {
                    InformerLog.HandlerFailed(_logger, e, Kind);
                }
            }
        }
    }

    private async Task NotServedAsync(string crdState, CancellationToken cancellationToken)
    {
        // A missing CRD must not hold up start-up: count as synced (and empty) and look again later.
        if (_served || !HasSynced)
        {
            InformerLog.NotServed(_logger, Kind, _notServed is null ? $"in {_options.NotServedRetry}" : "when its CRD changes");
        }

        _served = false;
        Dispatch(Store.Replace([]));
        _synced.TrySetResult();
        await UntilAsync(
            _notServed is null
                ? Task.Delay(_options.NotServedRetry, _time, cancellationToken)
                : _notServed.WaitAsync(crdState, _options.NotServedRetry, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        UntilAsync(Task.Delay(delay, _time, cancellationToken), cancellationToken);

    private static async Task UntilAsync(Task wait, CancellationToken cancellationToken)
    {
        try
        {
            await wait.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void Restarted(string reason) =>
        _metrics?.WatchRestarts.Add(1, new("kind", Kind), new("reason", reason));
}
