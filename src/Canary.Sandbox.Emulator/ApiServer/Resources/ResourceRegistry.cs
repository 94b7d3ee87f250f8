using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Canary.Sandbox.ApiServer.Resources;

/// <summary>
/// The set of served resources: the built-ins plus whatever the stored CRDs declare.
/// Readers see an immutable snapshot, so discovery and routing never take the store's lock.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly Lock _gate = new();
    private volatile Snapshot _current;

    public ResourceRegistry()
    {
        _current = new Snapshot(
            BuiltInResources.All.ToImmutableDictionary(t => t.Gvr),
            ImmutableDictionary<string, ImmutableArray<ResourceType>>.Empty,
            0);
    }

    /// <summary>Incremented on every change, so callers can cache documents derived from the registry.</summary>
    public long Revision => _current.Revision;

    /// <summary>All served resource types.</summary>
    public IEnumerable<ResourceType> All => _current.ByGvr.Values;

    public bool TryGet(GroupVersionResource gvr, [NotNullWhen(true)] out ResourceType? type) =>
        _current.ByGvr.TryGetValue(gvr, out type);

    /// <summary>The served type, or the 404 a real server gives for an unknown URL.</summary>
    public ResourceType Get(GroupVersionResource gvr) =>
        TryGet(gvr, out var type)
            ? type
            : throw new ApiException(404, "NotFound", "the server could not find the requested resource");

    /// <summary>Served API groups with their versions, preferred version first.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups() =>
        _current.ByGvr.Values
            .GroupBy(t => t.Group)
            .OrderBy(g => g.Key.Length == 0 ? 0 : 1)
            .ThenBy(g => BuiltInOrder(g.Key))
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(t => t.Version).Distinct().Order(KubeVersionComparer.Instance).ToList()))
            .ToList();

    /// <summary>Types served in one group/version.</summary>
    public IReadOnlyList<ResourceType> InGroupVersion(string group, string version) =>
        _current.ByGvr.Values.Where(t => t.Group == group && t.Version == version).OrderBy(t => t.Plural, StringComparer.Ordinal).ToList();

    /// <summary>Validates a CRD without registering it (422 Invalid when malformed).</summary>
    internal static IReadOnlyList<ResourceType> Validate(JsonObject crd) => CrdParser.Parse(crd);

    /// <summary>Serves (or re-serves) the resource a CRD declares.</summary>
    internal void ApplyCrd(string crdName, IReadOnlyList<ResourceType> types)
    {
        lock (_gate)
        {
            var snap = _current;
            var byGvr = snap.ByGvr;
            if (snap.Crds.TryGetValue(crdName, out var old))
            {
                byGvr = byGvr.RemoveRange(old.Select(t => t.Gvr));
            }

            byGvr = byGvr.SetItems(types.Select(t => KeyValuePair.Create(t.Gvr, t)));
            _current = new Snapshot(byGvr, snap.Crds.SetItem(crdName, [.. types]), snap.Revision + 1);
        }
    }

    /// <summary>Stops serving a deleted CRD's resource.</summary>
    internal void RemoveCrd(string crdName)
    {
        lock (_gate)
        {
            var snap = _current;
            if (snap.Crds.TryGetValue(crdName, out var old))
            {
                _current = new Snapshot(snap.ByGvr.RemoveRange(old.Select(t => t.Gvr)), snap.Crds.Remove(crdName), snap.Revision + 1);
            }
        }
    }

    // Built-in groups in the order a real server lists them; CRD groups follow alphabetically.
    private static int BuiltInOrder(string group) => group switch
    {
        "apps" => 0,
        "events.k8s.io" => 1,
        "autoscaling" => 2,
        "networking.k8s.io" => 3,
        "coordination.k8s.io" => 4,
        "apiextensions.k8s.io" => 5,
        _ => 6,
    };

    private sealed record Snapshot(
        ImmutableDictionary<GroupVersionResource, ResourceType> ByGvr,
        ImmutableDictionary<string, ImmutableArray<ResourceType>> Crds,
        long Revision);
}
