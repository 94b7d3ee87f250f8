using Canary.Cli.Commands.Live.Screen;
using k8s.Models;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Cli.Commands.Live;

/// <summary>What one screen is built from: the Canary, its Events (with the list's resourceVersion) and its workloads' images.</summary>
internal sealed record CanarySnapshot(CanaryResource Canary, IReadOnlyList<Corev1Event> Events, string EventsResourceVersion, WorkloadImages Images)
{
    /// <summary>Reads everything; throws <see cref="CommandException"/> when the Canary does not exist.</summary>
    public static async Task<CanarySnapshot> ReadAsync(LiveApi api, string ns, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var canary = await api.FindCanaryAsync(ns, name, cancellationToken) ?? throw CommandException.CanaryNotFound(ns, name);
        var events = await api.ListEventsAsync(canary, cancellationToken);
        var images = await ReadImagesAsync(api, canary, cancellationToken);
        return new CanarySnapshot(canary, [.. events.Items], events.Metadata?.ResourceVersion ?? string.Empty, images);
    }

    /// <summary>The images of the target and of its primary (null where they cannot be read).</summary>
    public static async Task<WorkloadImages> ReadImagesAsync(LiveApi api, CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(canary);
        var target = canary.Spec.TargetRef;
        if (string.IsNullOrEmpty(target?.Name))
        {
            return WorkloadImages.None;
        }

        var ns = canary.Metadata.NamespaceProperty;
        return new WorkloadImages(
            await api.ImagesAsync(ns, target.Kind, target.Name, cancellationToken),
            await api.ImagesAsync(ns, target.Kind, target.Name + Api.V1Beta1.CanaryApi.PrimarySuffix, cancellationToken));
    }

    public CanaryScreen Screen() => CanaryScreenBuilder.Build(Canary, Events, Images);
}
