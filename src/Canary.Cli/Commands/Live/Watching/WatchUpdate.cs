using k8s.Models;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Cli.Commands.Live.Watching;

/// <summary>What one of the watches told: the Canary changed or went, an Event came or went, the Events were re-listed, or a watch failed.</summary>
internal abstract record WatchUpdate
{
    private WatchUpdate()
    {
    }

    public sealed record CanaryChanged(CanaryResource Canary) : WatchUpdate;

    public sealed record CanaryDeleted : WatchUpdate;

    public sealed record EventChanged(Corev1Event Event, bool Deleted) : WatchUpdate;

    public sealed record EventsListed(IReadOnlyList<Corev1Event> Events) : WatchUpdate;

    public sealed record Failed(Exception Error) : WatchUpdate;
}
