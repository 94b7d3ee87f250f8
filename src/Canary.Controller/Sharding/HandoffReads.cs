using System.Collections.Concurrent;

namespace Canary.Controller.Sharding;

/// <summary>
/// Canaries this replica has just taken over from another one. Their first read is a GET, not the cache: the previous
/// owner's last checkpoint may still be on its way through our watch, and a tick from the older status would redo a step.
/// </summary>
public sealed class HandoffReads
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), byte> _pending = new();

    /// <summary>Marks a Canary taken over.</summary>
    public void Mark(string ns, string name) => _pending[(ns, name)] = 0;

    /// <summary>True once per marked Canary: its next read must come from the API server.</summary>
    public bool TryTake(string ns, string name) => _pending.TryRemove((ns, name), out _);

    /// <summary>How many marked Canaries have not been read yet.</summary>
    public int Count => _pending.Count;
}
