using Canary.Controller.Hosting;
using Canary.Controller.Informers;
using Canary.Controller.LeaderElection;
using Canary.Controller.Queue;
using Canary.Controller.Reconciliation;
using Canary.Controller.Telemetry;
using Canary.Kubernetes.Errors;
using Canary.Rollout.Targets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using k8s;
using k8s.Models;

namespace Canary.Controller.Sharding;

/// <summary>
/// Splits the Canaries over the live replicas (<c>--enable-sharding</c>). Each replica renews its own Lease; a
/// member is live while its Lease keeps changing within the lease duration (seen on the local clock, as leader
/// election does). When the live set differs from the map Lease, any replica writes the next epoch (resourceVersion
/// precondition). A change of epoch is a short pause for everyone: each replica stops taking keys, lets its reconciles
/// in flight finish, then acknowledges the epoch on its Lease; only when every member of the new map has acknowledged
/// it does each one resume, with the keys <see cref="ShardRing"/> gives it. So two replicas never tick one Canary: the
/// old owner has finished and stopped before the new one starts, and the new one reads the Canary fresh
/// (<see cref="HandoffReads"/>), so no rollout step is lost or repeated. A replica that cannot renew for the renew
/// deadline stops (before the others declare it dead), as the leader does.
/// </summary>
public sealed partial class ShardCoordinator : BackgroundService, ILeadership, IReconcileGate
{
    private readonly IKubernetes _kube;
    private readonly ControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly ControllerCaches _caches;
    private readonly WorkQueue<CanaryKey> _queue;
    private readonly HandoffReads _handoffs;
    private readonly ResourceInformer<V1Lease> _leases;
    private readonly Dictionary<string, (string Version, DateTimeOffset At)> _observed = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = NewSource();
    private TaskCompletionSource _drained = NewSource();
    private IReadOnlyList<string> _members = [];
    private long _acked;
    private long _activeEpoch;
    private bool _active;
    private int _inFlight;
    private DateTimeOffset _renewed;

    /// <summary>Creates this replica's member of the shard group.</summary>
    public ShardCoordinator(
        IKubernetes kube, ControllerOptions options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<ShardCoordinator> logger,
        ControllerCaches caches, WorkQueue<CanaryKey> queue, HandoffReads handoffs, InformerOptions informerOptions, ControllerMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _kube = kube;
        _options = options;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
        _caches = caches;
        _queue = queue;
        _handoffs = handoffs;
        var id = Guid.NewGuid().ToString("N")[..10];
        Identity = options.ShardIdentity ?? $"{Environment.MachineName}_{id}";
        MemberLease = ShardLeases.MemberName(options.ShardGroup, id);
        _leases = new ResourceInformer<V1Lease>(
            KubeSources.Leases(kube, options.EffectiveLeaseNamespace, $"{ShardLeases.GroupLabel}={options.ShardGroup}"), informerOptions, time, logger, metrics);
        _leases.AddHandler(_ => Interlocked.Exchange(ref _changed, NewSource()).TrySetResult());
        metrics.TrackLeadership(() => _active);
    }

    /// <inheritdoc />
    public string Identity { get; }

    /// <summary>Name of this replica's Lease.</summary>
    public string MemberLease { get; }

    /// <summary>True while this replica reconciles its share.</summary>
    public bool IsLeader => _active;

    /// <summary>The members of the epoch this replica acts in.</summary>
    public IReadOnlyList<string> Members => _members;

    /// <summary>The epoch this replica acts in (0 before the first).</summary>
    public long Epoch => _activeEpoch;

    /// <summary>True when this replica owns <paramref name="key"/> in its current epoch.</summary>
    public bool Owns(CanaryKey key) => _active && ShardRing.Owner(key, _members) == Identity;

    /// <inheritdoc />
    public Task WaitForLeadershipAsync(CancellationToken cancellationToken) => _started.Task.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public bool TryEnter(CanaryKey key)
    {
        lock (_lock)
        {
            if (!Owns(key))
            {
                return false;
            }

            _inFlight++;
            return true;
        }
    }

    /// <inheritdoc />
    public void Leave(CanaryKey key)
    {
        lock (_lock)
        {
            if (--_inFlight == 0)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _active = false;
        try
        {
            // The workers have stopped (they stop first): leaving at once lets the others take the share now, not after a lease duration.
            await _kube.CoordinationV1.DeleteNamespacedLeaseAsync(MemberLease, _options.EffectiveLeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            Left(_logger, Identity);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            RenewFailed(_logger, e, MemberLease);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var leases = Task.Run(() => _leases.RunAsync(stoppingToken), CancellationToken.None);
        await _caches.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
        await _leases.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
        Joining(_logger, Identity, _options.EffectiveLeaseNamespace, _options.ShardGroup);
        _renewed = _time.GetUtcNow();
        var nextRenew = _renewed;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var changed = Volatile.Read(ref _changed).Task;
                var now = _time.GetUtcNow();
                if (now >= nextRenew)
                {
                    if (!await RenewAsync(stoppingToken).ConfigureAwait(false) && now - _renewed > _options.RenewDeadline)
                    {
                        _active = false;
                        Lost(_logger, Identity);
                        _lifetime.StopApplication();
                        return;
                    }

                    nextRenew = now + _options.RetryPeriod;
                }

                await EvaluateAsync(stoppingToken).ConfigureAwait(false);
                var wait = nextRenew - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.WhenAny(changed, Task.Delay(wait, _time, stoppingToken)).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        await leases.ConfigureAwait(false);
    }

    private async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var ns = _options.EffectiveLeaseNamespace;
        var all = _leases.Store.List();
        var mapName = ShardLeases.MapName(_options.ShardGroup);
        var map = all.FirstOrDefault(l => l.Metadata.Name == mapName);
        var members = all.Where(l => l.Metadata.Name != mapName).ToList();
        var live = members.Where(l => l.Metadata.Name == MemberLease || IsLive(l, now)).Select(l => l.Spec?.HolderIdentity).OfType<string>()
            .Where(h => h.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        if (!live.Contains(Identity))
        {
            return; // our own Lease is not in the cache yet
        }

        var (epoch, agreed) = ShardLeases.ReadMap(map);
        if (!agreed.Order(StringComparer.Ordinal).SequenceEqual(live))
        {
            await WriteMapAsync(map, epoch + 1, live, cancellationToken).ConfigureAwait(false);
            await DeleteLongDeadAsync(members, now, cancellationToken).ConfigureAwait(false);
            return; // act on the map once the watch brings it back
        }

        if (epoch > _acked)
        {
            Task drained;
            lock (_lock)
            {
                _active = false;
                _drained = NewSource();
                if (_inFlight == 0)
                {
                    _drained.TrySetResult();
                }

                drained = _drained.Task;
            }

            await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
            _acked = epoch;
            await RenewAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var everyoneAcked = agreed.All(m => m == Identity || members.Any(l => l.Spec?.HolderIdentity == m && ShardLeases.AckedEpoch(l) >= epoch));
        if (epoch != _acked || !everyoneAcked || _activeEpoch == epoch)
        {
            return;
        }

        Activate(epoch, agreed);
    }

    private void Activate(long epoch, IReadOnlyList<string> members)
    {
        var previous = _members;
        var owned = 0;
        var canaries = _caches.Canaries.Store.List();
        lock (_lock)
        {
            _members = members;
            _activeEpoch = epoch;
            _active = true;
        }

        foreach (var canary in canaries)
        {
            var key = new CanaryKey(canary.Metadata.NamespaceProperty, canary.Metadata.Name);
            if (ShardRing.Owner(key, members) != Identity)
            {
                continue;
            }

            owned++;
            if (previous.Count > 0 && ShardRing.Owner(key, previous) != Identity)
            {
                _handoffs.Mark(key.Namespace, key.Name);
            }

            _queue.Add(key);
        }

        Resharded(_logger, Identity, epoch, string.Join(", ", members), owned, canaries.Count);
        _started.TrySetResult();
    }

    private bool IsLive(V1Lease lease, DateTimeOffset now)
    {
        var name = lease.Metadata.Name;
        var version = lease.Metadata.ResourceVersion ?? string.Empty;
        if (!_observed.TryGetValue(name, out var seen) || seen.Version != version)
        {
            _observed[name] = seen = (version, now);
        }

        var duration = TimeSpan.FromSeconds(lease.Spec?.LeaseDurationSeconds ?? (int)_options.LeaseDuration.TotalSeconds);
        return now - seen.At < duration;
    }

    private async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        var ns = _options.EffectiveLeaseNamespace;
        var now = _time.GetUtcNow();
        using var timeout = new CancellationTokenSource(_options.RenewDeadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var lease = _leases.Store.Get(ns, MemberLease) is { } cached
                ? ObjectCopies.Clone(cached)
                : new V1Lease { Metadata = new V1ObjectMeta { Name = MemberLease, NamespaceProperty = ns } };
            lease.Metadata.Labels ??= new Dictionary<string, string>();
            lease.Metadata.Labels[ShardLeases.GroupLabel] = _options.ShardGroup;
            lease.Metadata.Annotations ??= new Dictionary<string, string>();
            lease.Metadata.Annotations[ShardLeases.AckedEpochAnnotation] = _acked.ToString(System.Globalization.CultureInfo.InvariantCulture);
            lease.Spec ??= new V1LeaseSpec { AcquireTime = now.UtcDateTime };
            lease.Spec.HolderIdentity = Identity;
            lease.Spec.LeaseDurationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds);
            lease.Spec.RenewTime = now.UtcDateTime;
            var written = lease.Metadata.ResourceVersion is null
                ? await _kube.CoordinationV1.CreateNamespacedLeaseAsync(lease, ns, cancellationToken: linked.Token).ConfigureAwait(false)
                : await _kube.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, MemberLease, ns, cancellationToken: linked.Token).ConfigureAwait(false);
            _leases.Store.Upsert(written);
            _renewed = now;
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A conflict means the cache was behind our own last write: the watch brings it, the next renewal uses it.
            RenewFailed(_logger, e, MemberLease);
            return false;
        }
    }

    private async Task WriteMapAsync(V1Lease? map, long epoch, IReadOnlyList<string> members, CancellationToken cancellationToken)
    {
        var ns = _options.EffectiveLeaseNamespace;
        try
        {
            if (map is null)
            {
                var fresh = new V1Lease
                {
                    Metadata = new V1ObjectMeta
                    {
                        Name = ShardLeases.MapName(_options.ShardGroup), NamespaceProperty = ns,
                        Labels = new Dictionary<string, string> { [ShardLeases.GroupLabel] = _options.ShardGroup },
                    },
                    Spec = new V1LeaseSpec(),
                };
                await _kube.CoordinationV1.CreateNamespacedLeaseAsync(ShardLeases.WithMap(fresh, epoch, members), ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var copy = ObjectCopies.Clone(map);
                await _kube.CoordinationV1.ReplaceNamespacedLeaseAsync(ShardLeases.WithMap(copy, epoch, members), copy.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            MapWritten(_logger, Identity, epoch, string.Join(", ", members));
        }
        catch (Exception e) when (KubeErrors.IsConflictOrAlreadyExists(e))
        {
            // Another replica wrote the map first; its version arrives through the watch.
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            RenewFailed(_logger, e, ShardLeases.MapName(_options.ShardGroup));
        }
    }

    // A replica that crashed leaves its Lease behind; once it has been dead for a while nobody needs it.
    private async Task DeleteLongDeadAsync(IReadOnlyList<V1Lease> members, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var lease in members)
        {
            if (lease.Metadata.Name == MemberLease || !_observed.TryGetValue(lease.Metadata.Name, out var seen) || now - seen.At < 2 * _options.LeaseDuration)
            {
                continue;
            }

            try
            {
                await _kube.CoordinationV1.DeleteNamespacedLeaseAsync(lease.Metadata.Name, _options.EffectiveLeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                _observed.Remove(lease.Metadata.Name);
            }
            catch (Exception e) when (KubeErrors.IsNotFound(e))
            {
                _observed.Remove(lease.Metadata.Name);
            }
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(3101, LogLevel.Information, "{Identity} joins shard group {Group} in {Namespace}")]
    private static partial void Joining(ILogger logger, string identity, string @namespace, string group);

    [LoggerMessage(3102, LogLevel.Information, "{Identity} wrote shard epoch {Epoch}: {Members}")]
    private static partial void MapWritten(ILogger logger, string identity, long epoch, string members);

    [LoggerMessage(3103, LogLevel.Information, "{Identity} acts in shard epoch {Epoch} ({Members}): {Owned} of {Total} Canaries")]
    private static partial void Resharded(ILogger logger, string identity, long epoch, string members, int owned, int total);

    [LoggerMessage(3104, LogLevel.Warning, "Could not write shard lease {Lease}")]
    private static partial void RenewFailed(ILogger logger, Exception exception, string lease);

    [LoggerMessage(3105, LogLevel.Error, "{Identity} could not renew its shard lease within the renew deadline; stopping")]
    private static partial void Lost(ILogger logger, string identity);

    [LoggerMessage(3106, LogLevel.Information, "{Identity} left the shard group")]
    private static partial void Left(ILogger logger, string identity);
}
