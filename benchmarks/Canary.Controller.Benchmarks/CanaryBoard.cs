using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.ApiServer.Watch;

namespace Canary.Controller.Benchmarks;

/// <summary>
/// Every Canary's status.phase, from an in-process watch of the store (no HTTP request, so nothing in the server's
/// counters), and when each Canary first reached each phase (Stopwatch timestamp of the watch event: the moment the
/// controller's status write landed, give or take the in-process watch delivery).
/// </summary>
internal sealed class CanaryBoard : IAsyncDisposable
{
    public static readonly GroupVersionResource Canaries = new("canary.dev", "v1beta1", "canaries");

    private readonly ConcurrentDictionary<string, string> _phases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, string Phase), long> _firstAt = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public CanaryBoard(ObjectStore store) => _loop = Task.Run(() => RunAsync(store, _stopping.Token));

    public int Count(params string[] phases) => _phases.Values.Count(p => phases.Contains(p, StringComparer.Ordinal));

    /// <summary>When the Canary <paramref name="name"/> (namespace/name) first reached <paramref name="phase"/>.</summary>
    public long? FirstAt(string name, string phase) => _firstAt.TryGetValue((name, phase), out var at) ? at : null;

    /// <summary>A line of counts per phase, e.g. for progress output.</summary>
    public string Summary() => string.Join(", ", _phases.Values.GroupBy(p => p.Length == 0 ? "(none)" : p).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(ObjectStore store, CancellationToken cancellationToken)
    {
        await foreach (var change in store.WatchAsync(Canaries, null, cancellationToken: cancellationToken))
        {
            if (change.Type is not (WatchEventType.Added or WatchEventType.Modified))
            {
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            var name = $"{change.Value["metadata"]?["namespace"]}/{change.Value["metadata"]?["name"]}";
            var phase = (string?)(change.Value["status"] as JsonObject)?["phase"] ?? string.Empty;
            _phases[name] = phase;
            _firstAt.TryAdd((name, phase), now);
        }
    }
}
