using System.Collections.Concurrent;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Controller.Composition;

/// <summary>
/// Canaries this controller has just written (status checkpoints), kept until the informer catches up. A tick that
/// starts right after a write — the key was re-queued by an event during the previous tick — must see its own
/// checkpoint, not the cache's older copy, or it would redo a step from a stale status.
/// </summary>
public sealed class RecentCanaryWrites
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), Entry> _writes = new();
    private readonly ConcurrentDictionary<(string Namespace, string Name), string> _lastRead = new();

    /// <summary>
    /// The freshest known copy: <paramref name="cached"/>, or our own write while the cache still holds a version the
    /// write replaced. Anything else in the cache (caught up, deleted, changed by someone else) wins and ends the overlay.
    /// </summary>
    public CanaryResource? Resolve(string ns, string name, CanaryResource? cached)
    {
        var key = (ns, name);
        var result = cached;
        if (_writes.TryGetValue(key, out var entry))
        {
            if (cached?.Metadata.ResourceVersion is { } version && entry.Replaced.Contains(version))
            {
                result = entry.Written;
            }
            else
            {
                _writes.TryRemove(KeyValuePair.Create(key, entry));
            }
        }

        if (result?.Metadata.ResourceVersion is { } read)
        {
            _lastRead[key] = read;
        }
        else
        {
            _lastRead.TryRemove(key, out _);
        }

        return result;
    }

    /// <summary>
    /// Records <paramref name="written"/>, which replaced <paramref name="replacedVersion"/>. The version the tick read
    /// is also marked replaced: a finalizer patch earlier in the same tick may have produced <paramref name="replacedVersion"/>.
    /// </summary>
    public void Record(string? replacedVersion, CanaryResource written)
    {
        ArgumentNullException.ThrowIfNull(written);
        var key = (written.Metadata.NamespaceProperty, written.Metadata.Name);
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        if (replacedVersion is not null)
        {
            replaced.Add(replacedVersion);
        }

        if (_lastRead.TryGetValue(key, out var read))
        {
            replaced.Add(read);
        }

        if (_writes.TryGetValue(key, out var chained) && replaced.Contains(chained.Written.Metadata.ResourceVersion ?? string.Empty))
        {
            replaced.UnionWith(chained.Replaced);
        }

        _writes[key] = new Entry(written, replaced);
    }

    /// <summary>Forgets a Canary that is gone.</summary>
    public void Forget(string ns, string name)
    {
        _writes.TryRemove((ns, name), out _);
        _lastRead.TryRemove((ns, name), out _);
    }

    private sealed record Entry(CanaryResource Written, HashSet<string> Replaced);
}
