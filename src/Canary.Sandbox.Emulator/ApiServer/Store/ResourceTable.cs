using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Watch;

namespace Canary.Sandbox.ApiServer.Store;

/// <summary>The objects of one group/resource, ordered by namespace then name (etcd key order), and their watch hub.</summary>
internal sealed class ResourceTable(ResourceType type, int historySize)
{
    private readonly SortedDictionary<string, SortedDictionary<string, StoredObject>> _byNamespace = new(StringComparer.Ordinal);

    /// <summary>One of the served types stored here (all versions share flags such as namespaced and generation).</summary>
    public ResourceType Type { get; } = type;

    public string Group => Type.Group;

    public string Resource => Type.Plural;

    public WatchHub Hub { get; } = new(historySize);

    public int Count { get; private set; }

    public StoredObject? Find(string ns, string name) =>
        _byNamespace.TryGetValue(ns, out var names) && names.TryGetValue(name, out var obj) ? obj : null;

    public void Set(StoredObject obj)
    {
        if (!_byNamespace.TryGetValue(obj.Namespace, out var names))
        {
            names = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            _byNamespace[obj.Namespace] = names;
        }

        if (!names.ContainsKey(obj.Name))
        {
            Count++;
        }

        names[obj.Name] = obj;
    }

    public void Remove(string ns, string name)
    {
        if (_byNamespace.TryGetValue(ns, out var names) && names.Remove(name))
        {
            Count--;
            if (names.Count == 0)
            {
                _byNamespace.Remove(ns);
            }
        }
    }

    public bool AnyIn(string ns) => _byNamespace.ContainsKey(ns);

    /// <summary>Objects in key order, optionally of one namespace, starting after a (namespace, name) position.</summary>
    public IEnumerable<StoredObject> Enumerate(string? ns, (string Namespace, string Name)? after = null)
    {
        IEnumerable<KeyValuePair<string, SortedDictionary<string, StoredObject>>> spaces = ns is null
            ? _byNamespace
            : _byNamespace.TryGetValue(ns, out var one) ? [KeyValuePair.Create(ns, one)] : [];
        foreach (var (space, names) in spaces)
        {
            if (after is { } a && string.CompareOrdinal(space, a.Namespace) < 0)
            {
                continue;
            }

            foreach (var (name, obj) in names)
            {
                if (after is { } b && space == b.Namespace && string.CompareOrdinal(name, b.Name) <= 0)
                {
                    continue;
                }

                yield return obj;
            }
        }
    }

    public ObjectKey KeyOf(StoredObject obj) => new(Group, Resource, obj.Namespace, obj.Name);
}
