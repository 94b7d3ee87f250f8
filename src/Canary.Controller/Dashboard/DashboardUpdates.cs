using System.Threading.Channels;
using Canary.Controller.Informers;

namespace Canary.Controller.Dashboard;

/// <summary>A Canary whose page changed: its status, spec or one of its Events.</summary>
/// <param name="Namespace">Namespace of the Canary.</param>
/// <param name="Name">Name of the Canary.</param>
public sealed record DashboardChange(string Namespace, string Name);

/// <summary>
/// Fans the informer caches' changes out to every open dashboard (Server-Sent Events): the caches are watched once
/// whatever the number of viewers. A slow viewer loses its oldest changes, never blocks the informers.
/// </summary>
public sealed class DashboardUpdates
{
    private const int Backlog = 256;
    private readonly Lock _gate = new();
    private readonly List<Channel<DashboardChange>> _viewers = [];

    /// <summary>Subscribes to the Canary and Canary-Event caches.</summary>
    public DashboardUpdates(ControllerCaches caches)
    {
        ArgumentNullException.ThrowIfNull(caches);
        caches.Canaries.AddHandler(e => Publish(new DashboardChange(e.Current.Metadata.NamespaceProperty, e.Current.Metadata.Name)));
        caches.CanaryEvents?.AddHandler(e => Publish(new DashboardChange(e.Current.Metadata.NamespaceProperty, e.Current.InvolvedObject?.Name ?? string.Empty)));
    }

    /// <summary>Viewers connected now.</summary>
    public int Viewers
    {
        get
        {
            lock (_gate)
            {
                return _viewers.Count;
            }
        }
    }

    /// <summary>A new viewer's stream of changes, until <see cref="Unsubscribe"/>.</summary>
    public ChannelReader<DashboardChange> Subscribe()
    {
        var channel = Channel.CreateBounded<DashboardChange>(new BoundedChannelOptions(Backlog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _viewers.Add(channel);
        }

        return channel.Reader;
    }

    /// <summary>Ends the stream of <paramref name="reader"/>.</summary>
    public void Unsubscribe(ChannelReader<DashboardChange> reader)
    {
        lock (_gate)
        {
            _viewers.RemoveAll(c => c.Reader == reader);
        }
    }

    private void Publish(DashboardChange change)
    {
        lock (_gate)
        {
            foreach (var viewer in _viewers)
            {
                viewer.Writer.TryWrite(change);
            }
        }
    }
}
