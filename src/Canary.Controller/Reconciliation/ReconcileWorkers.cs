using Canary.Controller.Hosting;
using Canary.Controller.Informers;
using Canary.Controller.LeaderElection;
using Canary.Controller.Queue;
using Canary.Controller.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Canary.Controller.Reconciliation;

/// <summary>
/// Runs <c>--threadiness</c> workers that take Canary keys from the queue and call the <see cref="IReconciler"/>,
/// once the caches have synced and this replica leads, for the keys the <see cref="IReconcileGate"/> lets through. Success clears the key's backoff and honours its
/// requeue-after; an exception retries it with backoff. On shutdown workers stop taking keys and the reconcile in
/// flight finishes (it is only cancelled when the host's shutdown timeout runs out).
/// </summary>
public sealed partial class ReconcileWorkers(
    WorkQueue<CanaryKey> queue,
    IReconciler reconciler,
    ControllerCaches caches,
    ILeadership leadership,
    IReconcileGate gate,
    ControllerOptions options,
    ControllerMetrics metrics,
    TimeProvider time,
    ILogger<ReconcileWorkers> logger) : BackgroundService
{
    private readonly CancellationTokenSource _abort = new();

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host's token fires when its shutdown timeout is spent: only then abandon reconciles in flight.
        using var registration = cancellationToken.Register(_abort.Cancel);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await caches.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
        CachesSynced(logger, caches.All.Count);
        await leadership.WaitForLeadershipAsync(stoppingToken).ConfigureAwait(false);
        Starting(logger, options.Threadiness, leadership.Identity);
        var workers = Enumerable.Range(0, options.Threadiness)
            .Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None));
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            CanaryKey key;
            try
            {
                key = await queue.GetAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // A key another replica owns (sharding) is dropped here; its owner has it queued from its own caches.
            if (!gate.TryEnter(key))
            {
                queue.Forget(key);
                queue.Done(key);
                continue;
            }

            try
            {
                await ProcessAsync(key).ConfigureAwait(false);
            }
            finally
            {
                gate.Leave(key);
            }
        }
    }

    private async Task ProcessAsync(CanaryKey key)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["namespace"] = key.Namespace, ["name"] = key.Name });
        using var activity = ReconcileTracing.Start(key);
        var started = time.GetTimestamp();
        var outcome = "success";
        try
        {
            var result = await reconciler.ReconcileAsync(key, _abort.Token).ConfigureAwait(false);
            queue.Forget(key);
            ReconcileTracing.Completed(activity, result);
            if (result.RequeueAfter is { } delay)
            {
                outcome = "requeue";
                queue.AddAfter(key, delay);
            }
        }
        catch (Exception e)
        {
            outcome = "error";
            ReconcileTracing.Failed(activity, e);
            metrics.ReconcileErrors.Add(1);
            queue.AddRateLimited(key);
            Failed(logger, e, queue.Failures(key));
        }
        finally
        {
            queue.Done(key);
            metrics.Reconciles.Add(1, new KeyValuePair<string, object?>("result", outcome));
            metrics.ReconcileDuration.Record(time.GetElapsedTime(started).TotalSeconds);
        }
    }

    [LoggerMessage(4001, LogLevel.Information, "{Count} caches synced")]
    private static partial void CachesSynced(ILogger logger, int count);

    [LoggerMessage(4002, LogLevel.Information, "Starting {Workers} reconcile workers as {Identity}")]
    private static partial void Starting(ILogger logger, int workers, string identity);

    [LoggerMessage(4003, LogLevel.Warning, "Reconcile failed (failure {Failures}); retrying with backoff")]
    private static partial void Failed(ILogger logger, Exception exception, int failures);
}
