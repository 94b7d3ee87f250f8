using Canary.Controller.Hosting;
using Canary.Controller.Kubernetes;
using Canary.Controller.Telemetry;
using Canary.Kubernetes.Errors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using k8s;
using k8s.Models;

namespace Canary.Controller.LeaderElection;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, on an injected clock (KubernetesClient's LeaderElector has
/// neither a TimeProvider nor release-on-shutdown). A candidate takes the Lease when it is free or when its record
/// has not changed for a lease duration as seen by the candidate's own clock (client-go's rule, immune to clock
/// skew); writes carry the resourceVersion, so two candidates cannot both win. The leader renews every retry
/// period and, failing to for the renew deadline, stops the process (as Flagger does) rather than risk two
/// leaders. On graceful shutdown, after the workers have stopped, the Lease is released so a follower takes over
/// at its next retry instead of after a full lease duration.
/// </summary>
public sealed partial class LeaseLeaderElector : BackgroundService, ILeadership
{
    private readonly IKubernetes _kube;
    private readonly ControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _observedVersion;
    private DateTimeOffset _observedAt;
    private volatile bool _isLeader;

    /// <summary>Creates a candidate for the Lease named in <paramref name="options"/>.</summary>
    public LeaseLeaderElector(IKubernetes kube, ControllerOptions options, TimeProvider time, IHostApplicationLifetime lifetime,
        ILogger<LeaseLeaderElector> logger, ControllerMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _kube = kube;
        _options = options;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
        Identity = $"{Environment.MachineName}_{Guid.NewGuid():N}";
        metrics.TrackLeadership(() => _isLeader);
    }

    /// <inheritdoc />
    public bool IsLeader => _isLeader;

    /// <inheritdoc />
    public string Identity { get; }

    private string LeaseNamespace => _options.EffectiveLeaseNamespace;

    private string LeaseName => _options.LeaderElectionLeaseName;

    /// <inheritdoc />
    public Task WaitForLeadershipAsync(CancellationToken cancellationToken) => _leading.Task.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_isLeader)
        {
            await ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Candidate(_logger, Identity, LeaseNamespace, LeaseName);
        while (await TryAcquireOrRenewAsync(stoppingToken).ConfigureAwait(false) != Attempt.Held)
        {
            await Task.Delay(_options.RetryPeriod, _time, stoppingToken).ConfigureAwait(false);
        }

        _isLeader = true;
        _leading.TrySetResult();
        Elected(_logger, Identity);
        var renewed = _time.GetUtcNow();
        while (true)
        {
            await Task.Delay(_options.RetryPeriod, _time, stoppingToken).ConfigureAwait(false);
            var attempt = await TryAcquireOrRenewAsync(stoppingToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            if (attempt == Attempt.Held)
            {
                renewed = now;
                continue;
            }

            if (attempt == Attempt.HeldByOther || now - renewed > _options.RenewDeadline)
            {
                _isLeader = false;
                Lost(_logger, Identity);
                _lifetime.StopApplication();
                return;
            }
        }
    }

    private async Task<Attempt> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        // One attempt must not outlive the renew deadline, whatever the HTTP retries do.
        using var timeout = new CancellationTokenSource(_options.RenewDeadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await AttemptAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            AttemptFailed(_logger, e, LeaseNamespace, LeaseName);
            return Attempt.Failed;
        }
    }

    private async Task<Attempt> AttemptAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        V1Lease lease;
        try
        {
            lease = await _kube.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            var fresh = new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = LeaseName, NamespaceProperty = LeaseNamespace },
                Spec = Claim(new V1LeaseSpec { LeaseTransitions = 0 }, now, acquired: true),
            };
            try
            {
                await _kube.CoordinationV1.CreateNamespacedLeaseAsync(fresh, LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                return Attempt.Held;
            }
            catch (Exception race) when (KubeErrors.IsAlreadyExists(race) || KubeErrors.IsConflict(race))
            {
                return Attempt.Failed;
            }
        }

        lease.Spec ??= new V1LeaseSpec();
        if (lease.Metadata.ResourceVersion != _observedVersion)
        {
            _observedVersion = lease.Metadata.ResourceVersion;
            _observedAt = now;
        }

        var holder = lease.Spec.HolderIdentity;
        var held = !string.IsNullOrEmpty(holder) && holder != Identity;
        var duration = TimeSpan.FromSeconds(lease.Spec.LeaseDurationSeconds ?? (int)_options.LeaseDuration.TotalSeconds);
        if (held && _observedAt + duration > now)
        {
            return Attempt.HeldByOther;
        }

        var acquired = holder != Identity;
        lease.Spec = Claim(lease.Spec, now, acquired);
        try
        {
            var written = await _kube.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, LeaseName, LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            _observedVersion = written.Metadata.ResourceVersion;
            _observedAt = now;
            return Attempt.Held;
        }
        catch (Exception e) when (KubeErrors.IsConflict(e))
        {
            return Attempt.Failed;
        }
    }

    private V1LeaseSpec Claim(V1LeaseSpec spec, DateTimeOffset now, bool acquired)
    {
        spec.HolderIdentity = Identity;
        spec.LeaseDurationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds);
        spec.RenewTime = now.UtcDateTime;
        if (acquired)
        {
            spec.AcquireTime = now.UtcDateTime;
            spec.LeaseTransitions = (spec.LeaseTransitions ?? 0) + 1;
        }

        return spec;
    }

    private async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lease = await _kube.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != Identity)
            {
                return;
            }

            lease.Spec.HolderIdentity = null;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = _time.GetUtcNow().UtcDateTime;
            await _kube.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, LeaseName, LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            _isLeader = false;
            Released(_logger, Identity);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AttemptFailed(_logger, e, LeaseNamespace, LeaseName);
        }
    }

    [LoggerMessage(3001, LogLevel.Information, "Candidate {Identity} for lease {Namespace}/{Lease}")]
    private static partial void Candidate(ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(3002, LogLevel.Information, "{Identity} became leader")]
    private static partial void Elected(ILogger logger, string identity);

    [LoggerMessage(3003, LogLevel.Error, "{Identity} lost leadership; stopping")]
    private static partial void Lost(ILogger logger, string identity);

    [LoggerMessage(3004, LogLevel.Warning, "Could not acquire or renew lease {Namespace}/{Lease}")]
    private static partial void AttemptFailed(ILogger logger, Exception exception, string @namespace, string lease);

    [LoggerMessage(3005, LogLevel.Information, "{Identity} released the lease")]
    private static partial void Released(ILogger logger, string identity);

    private enum Attempt
    {
        Held,
        HeldByOther,
        Failed,
    }
}
