using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Controller.Informers;

/// <summary>
/// A list/watch source over one KubernetesClient list operation (typed built-ins, typed CRDs through CustomObjects,
/// or <see cref="GenericObject"/>): the same call lists with <c>watch=false</c> and watches with <c>watch=true</c>.
/// </summary>
public sealed class KubeListWatchSource<T, TList> : IListWatchSource<T>
    where T : IKubernetesObject<V1ObjectMeta>
    where TList : IKubernetesObject<V1ListMeta>, IItems<T>
{
    private readonly Func<ListArgs, CancellationToken, Task<HttpOperationResponse<TList>>> _list;

    /// <summary>Wraps <paramref name="list"/>, a call such as <c>ListNamespacedDeploymentWithHttpMessagesAsync</c>.</summary>
    public KubeListWatchSource(string kind, Func<ListArgs, CancellationToken, Task<HttpOperationResponse<TList>>> list)
    {
        Kind = kind;
        _list = list ?? throw new ArgumentNullException(nameof(list));
    }

    /// <inheritdoc />
    public string Kind { get; }

    /// <inheritdoc />
    public async Task<ListPage<T>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        using var response = await _list(new ListArgs(continueToken, limit, null, false, null), cancellationToken).ConfigureAwait(false);
        var body = response.Body;
        return new ListPage<T>(
            body.Items?.ToList() ?? [],
            body.Metadata?.ResourceVersion ?? string.Empty,
            string.IsNullOrEmpty(body.Metadata?.ContinueProperty) ? null : body.Metadata.ContinueProperty);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var response = _list(new ListArgs(null, null, resourceVersion, true, timeoutSeconds), cancellationToken);
#pragma warning disable CS0618 // the typed watch with resourceVersion/bookmarks has no non-obsolete equivalent
        return response.WatchAsync<T, TList>(OnError, cancellationToken);
#pragma warning restore CS0618
    }

    // Without onError the client swallows in-stream errors (a 410 would look like a clean end): rethrow them.
    // A line that does not deserialise is dropped rather than ending the watch.
    private static void OnError(Exception exception)
    {
        if (exception is not JsonException)
        {
            throw exception;
        }
    }
}
