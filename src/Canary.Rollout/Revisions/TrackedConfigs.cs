using System.Collections.ObjectModel;
using k8s.Models;

namespace Canary.Rollout.Revisions;

/// <summary>A tracked ConfigMap or Secret as read now, with its checksum.</summary>
/// <param name="Ref">The reference.</param>
/// <param name="Checksum">First 8 bytes of SHA-256 of its data, hex.</param>
/// <param name="ConfigMap">The object when a ConfigMap.</param>
/// <param name="Secret">The object when a Secret.</param>
public sealed record TrackedConfig(ConfigRef Ref, string Checksum, V1ConfigMap? ConfigMap, V1Secret? Secret);

/// <summary>The configs tracked for one revision of the target.</summary>
/// <param name="Items">Tracked objects in key order.</param>
public sealed record TrackedConfigs(IReadOnlyList<TrackedConfig> Items)
{
    /// <summary>No tracked configs.</summary>
    public static TrackedConfigs Empty { get; } = new([]);

    /// <summary>Checksums keyed <c>configmap/&lt;name&gt;</c> / <c>secret/&lt;name&gt;</c> (status.trackedConfigs).</summary>
    public IReadOnlyDictionary<string, string> Checksums =>
        new ReadOnlyDictionary<string, string>(Items.ToDictionary(i => i.Ref.Key, i => i.Checksum, StringComparer.Ordinal));

    /// <summary>True when <paramref name="kind"/>/<paramref name="name"/> is tracked (and so has a -primary copy).</summary>
    public bool Contains(ConfigKind kind, string name) => Items.Any(i => i.Ref.Kind == kind && i.Ref.Name == name);
}
