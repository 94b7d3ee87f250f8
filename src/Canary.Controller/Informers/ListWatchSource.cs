using k8s;
using k8s.Models;

namespace Canary.Controller.Informers;

/// <summary>Arguments of one list or watch call.</summary>
/// <param name="Continue">Continue token of the next page.</param>
/// <param name="Limit">Page size.</param>
/// <param name="ResourceVersion">Watch from this version.</param>
/// <param name="Watch">True for a watch.</param>
/// <param name="TimeoutSeconds">Server-side watch timeout.</param>
public sealed record ListArgs(string? Continue, int? Limit, string? ResourceVersion, bool Watch, int? TimeoutSeconds)
{
    /// <summary>Bookmarks are always asked for on watches (they keep the resume point fresh).</summary>
    public bool? AllowWatchBookmarks => Watch ? true : null;
}

/// <summary>One page of a list.</summary>
/// <param name="Items">Objects of the page.</param>
/// <param name="ResourceVersion">The list's resourceVersion (the snapshot to watch from).</param>
/// <param name="Continue">Token of the next page; null on the last page.</param>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue);

/// <summary>Lists and watches one kind in one scope (a namespace or the cluster).</summary>
/// <typeparam name="T">The object type.</typeparam>
public interface IListWatchSource<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Kind name, for logs and metrics.</summary>
    string Kind { get; }

    /// <summary>Reads one page.</summary>
    Task<ListPage<T>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken);

    /// <summary>Watches from <paramref name="resourceVersion"/> with bookmarks. In-stream errors (410 Expired)
    /// are thrown as <see cref="KubernetesException"/>; the sequence ends when the server closes the watch.</summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken);
}
