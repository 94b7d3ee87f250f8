using k8s;
using k8s.Models;

namespace Canary.Controller.Informers;

/// <summary>
/// The thread-safe local cache of one kind: objects by <c>namespace/name</c> plus named secondary indexes
/// (namespace is always indexed; add others, such as Canary by target or Deployment by referenced ConfigMap,
/// with <see cref="AddIndexer"/>). Readers get the cached instances: treat them as read-only.
/// </summary>
public sealed class CacheStore<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The built-in index of objects by namespace.</summary>
    public const string NamespaceIndex = "namespace";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _indices = new(StringComparer.Ordinal);

    /// <summary>Creates a store with the namespace index.</summary>
    public CacheStore() => AddIndexer(NamespaceIndex, o => [o.Metadata?.NamespaceProperty ?? string.Empty]);

    /// <summary>Number of cached objects.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Adds a secondary index computing zero or more index values per object (indexes existing objects too).</summary>
    public void AddIndexer(string name, Func<T, IEnumerable<string>> indexer)
    {
        ArgumentNullException.ThrowIfNull(indexer);
        lock (_gate)
        {
            _indexers[name] = indexer;
            var index = _indices[name] = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var (key, item) in _items)
            {
                AddToIndex(index, indexer, key, item);
            }
        }
    }

    /// <summary>The cached object, or null.</summary>
    public T? Get(string? ns, string name)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(CacheKeys.Of(ns, name));
        }
    }

    /// <summary>A snapshot of every cached object.</summary>
    public IReadOnlyList<T> List()
    {
        lock (_gate)
        {
            return [.. _items.Values];
        }
    }

    /// <summary>Objects whose <paramref name="index"/> contains <paramref name="value"/>.</summary>
    public IReadOnlyList<T> ByIndex(string index, string value)
    {
        lock (_gate)
        {
            return _indices.TryGetValue(index, out var values) && values.TryGetValue(value, out var keys)
                ? [.. keys.Select(k => _items[k])]
                : [];
        }
    }

    /// <summary>Counts of objects per value of <paramref name="index"/> (e.g. Canaries per namespace).</summary>
    public IReadOnlyList<KeyValuePair<string, int>> CountByIndex(string index)
    {
        lock (_gate)
        {
            return _indices.TryGetValue(index, out var values)
                ? [.. values.Select(v => new KeyValuePair<string, int>(v.Key, v.Value.Count))]
                : [];
        }
    }

    /// <summary>Adds or replaces an object; returns the previous version.</summary>
    internal T? Upsert(T item)
    {
        var key = CacheKeys.Of(item);
        lock (_gate)
        {
            var old = RemoveLocked(key);
            _items[key] = item;
            foreach (var (name, indexer) in _indexers)
            {
                AddToIndex(_indices[name], indexer, key, item);
            }

            return old;
        }
    }

    /// <summary>Removes an object; returns it if it was cached.</summary>
    internal T? Remove(T item)
    {
        lock (_gate)
        {
            return RemoveLocked(CacheKeys.Of(item));
        }
    }

    /// <summary>Replaces the whole content (after a relist) and returns what changed.</summary>
    internal IReadOnlyList<ResourceEvent<T>> Replace(IEnumerable<T> items)
    {
        var events = new List<ResourceEvent<T>>();
        lock (_gate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                var key = CacheKeys.Of(item);
                seen.Add(key);
                var old = _items.GetValueOrDefault(key);
                if (old is not null && old.Metadata?.ResourceVersion == item.Metadata?.ResourceVersion)
                {
                    continue;
                }

                Upsert(item);
                events.Add(old is null
                    ? new ResourceEvent<T>(ResourceEventType.Added, item)
                    : new ResourceEvent<T>(ResourceEventType.Updated, item, old));
            }

            foreach (var key in _items.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                var gone = RemoveLocked(key)!;
                events.Add(new ResourceEvent<T>(ResourceEventType.Deleted, gone));
            }
        }

        return events;
    }

    private static void AddToIndex(Dictionary<string, HashSet<string>> index, Func<T, IEnumerable<string>> indexer, string key, T item)
    {
        foreach (var value in indexer(item))
        {
            if (!index.TryGetValue(value, out var keys))
            {
                index[value] = keys = new HashSet<string>(StringComparer.Ordinal);
            }

            keys.Add(key);
        }
    }

    private T? RemoveLocked(string key)
    {
        if (!_items.Remove(key, out var old))
        {
            return null;
        }

        foreach (var (name, indexer) in _indexers)
        {
            var index = _indices[name];
            foreach (var value in indexer(old))
            {
                if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    index.Remove(value);
                }
            }
        }

        return old;
    }
}
