using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;

namespace Canary.Sandbox.Scenarios;

/// <summary>
/// The phase of every Canary, by namespace: one loop lists them all from the store every <c>pollInterval</c> (cheaper
/// than a poll per run with hundreds of runs), and <see cref="WaitAsync"/> wakes waiters after each listing.
/// </summary>
public sealed class CanaryPhaseBoard : IAsyncDisposable
{
    private static readonly GroupVersionResource Canaries = new(CanaryApi.Group, CanaryApi.Version, Api.V1Beta1.Canary.KubePluralName);

    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;
    private readonly ConcurrentDictionary<string, string> _phases = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts listing <paramref name="store"/>'s Canaries every <paramref name="pollInterval"/> of <paramref name="time"/>.</summary>
    public CanaryPhaseBoard(ObjectStore store, TimeProvider time, TimeSpan pollInterval)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
        _pollInterval = pollInterval;
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>status.phase of the Canary in <paramref name="ns"/> at the last listing (None before it has one).</summary>
    public CanaryPhase Phase(string ns) =>
        _phases.TryGetValue(ns, out var phase) && Enum.TryParse<CanaryPhase>(phase, out var parsed) ? parsed : CanaryPhase.None;

    /// <summary>Waits until the phase in <paramref name="ns"/> satisfies <paramref name="done"/> (true) or <paramref name="deadline"/> passes (false).</summary>
    public async Task<bool> WaitAsync(string ns, Func<CanaryPhase, bool> done, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(done);
        while (!done(Phase(ns)))
        {
            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            var next = Volatile.Read(ref _listed).Task;
            try
            {
                await next.WaitAsync(left, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return done(Phase(ns));
            }

            if (_loop.IsFaulted)
            {
                await _loop.ConfigureAwait(false);
            }
        }

        return true;
    }

    /// <summary>Stops the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var canary in _store.List(Canaries, null).Items)
            {
                if (canary["metadata"]?["namespace"] is JsonValue ns && ns.TryGetValue<string>(out var name))
                {
                    _phases[name] = canary["status"]?["phase"] is JsonValue p && p.TryGetValue<string>(out var phase) ? phase : string.Empty;
                }
            }

            Interlocked.Exchange(ref _listed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
