using Canary.Api.V1Beta1;
using Canary.Kubernetes.Errors;
using k8s;
using k8s.Models;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Cli.Commands.Live;

/// <summary>The reads, writes and watches the live commands make: Canaries, their Events, their workloads and CanaryRequests.</summary>
internal sealed class LiveApi(IKubernetes client)
{
    private const string Group = CanaryApi.Group;
    private const string Version = CanaryApi.Version;

    public Task<CanaryResource> GetCanaryAsync(string ns, string name, CancellationToken cancellationToken) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<CanaryResource>(Group, Version, ns, CanaryResource.KubePluralName, name, cancellationToken);

    /// <summary>The Canary, or null when it does not exist (404).</summary>
    public Task<CanaryResource?> FindCanaryAsync(string ns, string name, CancellationToken cancellationToken) =>
        KubeErrors.OrNullWhenNotFound(() => GetCanaryAsync(ns, name, cancellationToken));

    /// <summary>Canaries of <paramref name="ns"/>, or of every namespace when it is null.</summary>
    public async Task<CanaryList> ListCanariesAsync(string? ns, CancellationToken cancellationToken)
    {
        try
        {
            return ns is null
                ? await client.CustomObjects.ListClusterCustomObjectAsync<CanaryList>(Group, Version, CanaryResource.KubePluralName, cancellationToken: cancellationToken)
                : await client.CustomObjects.ListNamespacedCustomObjectAsync<CanaryList>(Group, Version, ns, CanaryResource.KubePluralName, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            // A list is never 404 unless the resource itself is not served.
            throw CommandException.NoResourceType(CanaryResource.KubePluralName, e);
        }
    }

    /// <summary>Watches one Canary (a fieldSelector on its name) from <paramref name="resourceVersion"/>.</summary>
    public IAsyncEnumerable<(WatchEventType Type, CanaryResource Object)> WatchCanary(string ns, string name, string resourceVersion, CancellationToken cancellationToken)
    {
#pragma warning disable CS0618 // the typed watch with resourceVersion has no non-obsolete equivalent
        return client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<CanaryList>(
                Group, Version, ns, CanaryResource.KubePluralName, allowWatchBookmarks: true, fieldSelector: NameSelector(name),
                resourceVersion: resourceVersion, watch: true, cancellationToken: cancellationToken)
            .WatchAsync<CanaryResource, CanaryList>(Rethrow, cancellationToken);
#pragma warning restore CS0618
    }

    /// <summary>The Events of one Canary (by kind, name and uid, as <c>kubectl describe</c> selects them).</summary>
    public Task<Corev1EventList> ListEventsAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        client.CoreV1.ListNamespacedEventAsync(canary.Metadata.NamespaceProperty, fieldSelector: EventSelector(canary), cancellationToken: cancellationToken);

    /// <summary>Watches the Events of one Canary from <paramref name="resourceVersion"/>.</summary>
    public IAsyncEnumerable<(WatchEventType Type, Corev1Event Object)> WatchEvents(CanaryResource canary, string resourceVersion, CancellationToken cancellationToken)
    {
#pragma warning disable CS0618 // see WatchCanary
        return client.CoreV1.ListNamespacedEventWithHttpMessagesAsync(
                canary.Metadata.NamespaceProperty, allowWatchBookmarks: true, fieldSelector: EventSelector(canary), resourceVersion: resourceVersion,
                watch: true, cancellationToken: cancellationToken)
            .WatchAsync<Corev1Event, Corev1EventList>(Rethrow, cancellationToken);
#pragma warning restore CS0618
    }

    /// <summary>
    /// The container images of a workload, or null when it cannot be read (forbidden, missing, or a kind without pods
    /// of its own): the screen then simply has no images.
    /// </summary>
    public async Task<IReadOnlyList<string>?> ImagesAsync(string ns, string? kind, string name, CancellationToken cancellationToken)
    {
        try
        {
            var template = kind switch
            {
                TargetKinds.Deployment or null or "" => (await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken)).Spec?.Template,
                TargetKinds.DaemonSet => (await client.AppsV1.ReadNamespacedDaemonSetAsync(name, ns, cancellationToken: cancellationToken)).Spec?.Template,
                _ => null,
            };
            return template?.Spec?.Containers?.Select(c => c.Image).Where(i => !string.IsNullOrEmpty(i)).ToList();
        }
        catch (Exception e) when (KubeErrors.StatusOf(e) is not null)
        {
            return null;
        }
    }

    public async Task<CanaryRequest> CreateRequestAsync(CanaryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await client.CustomObjects.CreateNamespacedCustomObjectAsync<CanaryRequest>(
                request, Group, Version, request.Metadata.NamespaceProperty, CanaryRequest.KubePluralName, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            // The namespace exists (its Canary was just read): the CanaryRequest CRD is missing.
            throw CommandException.NoResourceType(CanaryRequest.KubePluralName, e);
        }
    }

    public Task<CanaryRequest> GetRequestAsync(string ns, string name, CancellationToken cancellationToken) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<CanaryRequest>(Group, Version, ns, CanaryRequest.KubePluralName, name, cancellationToken);

    /// <summary>Watches one CanaryRequest from <paramref name="resourceVersion"/>.</summary>
    public IAsyncEnumerable<(WatchEventType Type, CanaryRequest Object)> WatchRequest(string ns, string name, string resourceVersion, CancellationToken cancellationToken)
    {
#pragma warning disable CS0618 // see WatchCanary
        return client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<CanaryRequestList>(
                Group, Version, ns, CanaryRequest.KubePluralName, allowWatchBookmarks: true, fieldSelector: NameSelector(name),
                resourceVersion: resourceVersion, watch: true, cancellationToken: cancellationToken)
            .WatchAsync<CanaryRequest, CanaryRequestList>(Rethrow, cancellationToken);
#pragma warning restore CS0618
    }

    private static string NameSelector(string name) => "metadata.name=" + name;

    private static string EventSelector(CanaryResource canary) =>
        $"involvedObject.kind={CanaryResource.KubeKind},involvedObject.name={canary.Metadata.Name}"
        + (string.IsNullOrEmpty(canary.Metadata.Uid) ? string.Empty : ",involvedObject.uid=" + canary.Metadata.Uid);

    // Without onError the client swallows in-stream errors (a 410 would look like a clean end): rethrow them, so the
    // caller re-lists. A line that does not deserialise is dropped rather than ending the watch.
    private static void Rethrow(Exception exception)
    {
        if (exception is not System.Text.Json.JsonException)
        {
            throw exception;
        }
    }
}
