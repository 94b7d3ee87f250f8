using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using Canary.Controller.Informers;
using Canary.Rollout.Engine;
using k8s;
using k8s.Models;

namespace Canary.Controller.Secrets;

/// <summary>
/// The Secrets the controller reads (metric template and alert provider credentials, the tracked config Secrets of
/// targets), fetched by targeted GET and kept only while their resourceVersion is current. The Secret informer holds
/// metadata only (names and resourceVersions, never data), so the controller never caches every Secret in the cluster;
/// a kept Secret is dropped when that metadata says it changed or went, and read again on next use.
/// </summary>
public sealed class ReferencedSecrets
{
    private readonly ControllerCaches _caches;
    private readonly KubernetesClusterReader _api;
    private readonly ConcurrentDictionary<(string Namespace, string Name), V1Secret> _kept = new();

    /// <summary>Follows the metadata informer to drop what changed or went.</summary>
    public ReferencedSecrets(ControllerCaches caches, IKubernetes client)
    {
        ArgumentNullException.ThrowIfNull(caches);
        _caches = caches;
        _api = new KubernetesClusterReader(client);
        caches.Secrets.AddHandler(e =>
        {
            var key = (e.Current.Metadata.NamespaceProperty ?? string.Empty, e.Current.Metadata.Name);
            if (e.Type == ResourceEventType.Deleted
                || (_kept.TryGetValue(key, out var kept) && kept.Metadata.ResourceVersion != e.Current.Metadata.ResourceVersion))
            {
                _kept.TryRemove(key, out _);
            }
        });
    }

    /// <summary>How many Secrets are held in memory (only those read since they last changed).</summary>
    public int Count => _kept.Count;

    /// <summary>The Secret, or null when it does not exist; a copy, so callers may change it.</summary>
    public async Task<V1Secret?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        await ReadAsync(ns, name, cancellationToken).ConfigureAwait(false) is { } secret ? Copy(secret) : null;

    /// <summary>The Secret's data as a read-only view, or null when it does not exist.</summary>
    public async Task<IReadOnlyDictionary<string, byte[]>?> GetDataAsync(string ns, string name, CancellationToken cancellationToken) =>
        await ReadAsync(ns, name, cancellationToken).ConfigureAwait(false) is { } secret
            ? new ReadOnlyDictionary<string, byte[]>(new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal))
            : null;

    // The kept instance itself: callers above copy what they hand out.
    private async Task<V1Secret?> ReadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var key = (ns, name);
        var current = _caches.Secrets.Store.Get(ns, name);
        if (current is not null && _kept.TryGetValue(key, out var kept) && kept.Metadata.ResourceVersion == current.Metadata.ResourceVersion)
        {
            return kept;
        }

        // Not seen yet by the informer (just created), changed, or never read: one GET.
        var fresh = await _api.GetSecretAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (fresh is null)
        {
            _kept.TryRemove(key, out _);
            return null;
        }

        _kept[key] = fresh;
        return fresh;
    }

    private static V1Secret Copy(V1Secret secret) => KubernetesJson.Deserialize<V1Secret>(KubernetesJson.Serialize(secret));
}
