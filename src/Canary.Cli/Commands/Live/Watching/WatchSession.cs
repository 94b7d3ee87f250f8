using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Canary.Cli.Commands.Live.Screen;
using Canary.Kubernetes.Errors;
using k8s;
using k8s.Models;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Cli.Commands.Live.Watching;

/// <summary>
/// Follows one Canary through two Kubernetes watches, the Canary's (a fieldSelector on its name) and its Events', and
/// yields a new <see cref="WatchState"/> after each change until the rollout ends or the Canary is deleted. A watch that
/// ends or breaks is resumed as client-go's reflector resumes: re-list, then watch from the list's resourceVersion.
/// </summary>
internal sealed class WatchSession(LiveApi api, CanarySnapshot start)
{
    private readonly Channel<WatchUpdate> _updates = Channel.CreateUnbounded<WatchUpdate>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _ns = start.Canary.Metadata.NamespaceProperty;
    private readonly string _name = start.Canary.Metadata.Name;
    private readonly string? _uid = start.Canary.Metadata.Uid;

    /// <summary>The states seen, the first being the one the session started from; the last has an outcome other than Running.</summary>
    public async IAsyncEnumerable<WatchState> StatesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new Seen(start.Canary, start.Events.ToDictionary(Key, StringComparer.Ordinal), start.Images);
        var state = seen.State(WatchState.OutcomeOf(start.Canary));
        yield return state;
        if (state.Outcome != WatchOutcome.Running)
        {
            yield break;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pumps = new[]
        {
            Task.Run(() => PumpCanaryAsync(start.Canary.Metadata.ResourceVersion, stop.Token), stop.Token),
            Task.Run(() => PumpEventsAsync(start.EventsResourceVersion, stop.Token), stop.Token),
        };
        try
        {
            while (state.Outcome == WatchOutcome.Running)
            {
                var outcome = await ApplyAsync(seen, await _updates.Reader.ReadAsync(cancellationToken), cancellationToken);

                // Take what else has already arrived (an Event written with the final status) before drawing.
                while (outcome != WatchOutcome.Deleted && _updates.Reader.TryRead(out var next))
                {
                    outcome = await ApplyAsync(seen, next, cancellationToken);
                }

                state = seen.State(outcome);
                yield return state;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(pumps.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    // Folds one update into what was seen; returns what the watch's outcome is now.
    private async Task<WatchOutcome> ApplyAsync(Seen seen, WatchUpdate update, CancellationToken cancellationToken)
    {
        switch (update)
        {
            case WatchUpdate.Failed failed:
                ExceptionDispatchInfo.Throw(failed.Error);
                break;
            case WatchUpdate.CanaryDeleted:
                return WatchOutcome.Deleted;
            case WatchUpdate.CanaryChanged changed:
                if (Revisions(changed.Canary) != Revisions(seen.Canary))
                {
                    seen.Images = await CanarySnapshot.ReadImagesAsync(api, changed.Canary, cancellationToken);
                }

                seen.Canary = changed.Canary;
                break;
            case WatchUpdate.EventChanged { Deleted: true } gone:
                seen.Events.Remove(Key(gone.Event));
                break;
            case WatchUpdate.EventChanged changed:
                seen.Events[Key(changed.Event)] = changed.Event;
                break;
            case WatchUpdate.EventsListed listed:
                seen.Events = listed.Events.ToDictionary(Key, StringComparer.Ordinal);
                break;
        }

        return WatchState.OutcomeOf(seen.Canary);
    }

    private static (string?, string?) Revisions(CanaryResource canary) => (canary.Status?.LastAppliedSpec, canary.Status?.LastPromotedSpec);

    private static string Key(Corev1Event e) => e.Metadata?.Uid is { Length: > 0 } uid ? uid : e.Metadata?.Name ?? string.Empty;

    private async Task PumpCanaryAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await foreach (var (type, canary) in api.WatchCanary(_ns, _name, resourceVersion, cancellationToken))
                    {
                        if (type == WatchEventType.Deleted)
                        {
                            await _updates.Writer.WriteAsync(new WatchUpdate.CanaryDeleted(), cancellationToken);
                            return;
                        }

                        resourceVersion = canary.Metadata.ResourceVersion;
                        if (type is WatchEventType.Added or WatchEventType.Modified)
                        {
                            await _updates.Writer.WriteAsync(new WatchUpdate.CanaryChanged(canary), cancellationToken);
                        }
                    }
                }
                catch (Exception e) when (Resumable(e, cancellationToken))
                {
                    // Disconnected or too old a resourceVersion: re-list below.
                }

                var current = await api.FindCanaryAsync(_ns, _name, cancellationToken);
                if (current is null || (!string.IsNullOrEmpty(_uid) && current.Metadata.Uid != _uid))
                {
                    await _updates.Writer.WriteAsync(new WatchUpdate.CanaryDeleted(), cancellationToken);
                    return;
                }

                await _updates.Writer.WriteAsync(new WatchUpdate.CanaryChanged(current), cancellationToken);
                resourceVersion = current.Metadata.ResourceVersion;
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _updates.Writer.TryWrite(new WatchUpdate.Failed(e));
        }
    }

    private async Task PumpEventsAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await foreach (var (type, e) in api.WatchEvents(start.Canary, resourceVersion, cancellationToken))
                    {
                        resourceVersion = e.Metadata.ResourceVersion;
                        if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted)
                        {
                            await _updates.Writer.WriteAsync(new WatchUpdate.EventChanged(e, type == WatchEventType.Deleted), cancellationToken);
                        }
                    }
                }
                catch (Exception e) when (Resumable(e, cancellationToken))
                {
                    // Re-list below.
                }

                var list = await api.ListEventsAsync(start.Canary, cancellationToken);
                await _updates.Writer.WriteAsync(new WatchUpdate.EventsListed([.. list.Items]), cancellationToken);
                resourceVersion = list.Metadata.ResourceVersion;
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _updates.Writer.TryWrite(new WatchUpdate.Failed(e));
        }
    }

    // A watch that broke off (connection, stream, 410 Gone, a server error) is resumed; a refusal (403...) is not.
    private static bool Resumable(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && KubeErrors.StatusOf(e) is null or HttpStatusCode.Gone or >= HttpStatusCode.InternalServerError;

    // What the watches told so far.
    private sealed class Seen(CanaryResource canary, Dictionary<string, Corev1Event> events, WorkloadImages images)
    {
        public CanaryResource Canary { get; set; } = canary;

        public Dictionary<string, Corev1Event> Events { get; set; } = events;

        public WorkloadImages Images { get; set; } = images;

        public WatchState State(WatchOutcome outcome) => new(Canary, [.. Events.Values], Images, outcome);
    }
}
