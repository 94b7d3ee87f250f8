using System.Globalization;
using k8s.Models;

namespace Canary.Controller.Sharding;

/// <summary>
/// The Leases of a shard group, in the controller's lease namespace, labelled <see cref="GroupLabel"/>: one per
/// replica (its heartbeat, and the last shard map epoch it acknowledged), and one map (the agreed member list and its
/// epoch), written with the resourceVersion so that two replicas never both advance it.
/// </summary>
public static class ShardLeases
{
    /// <summary>Label of every Lease of the group; its value is the group name.</summary>
    public const string GroupLabel = "canary.dev/shard-group";

    /// <summary>Annotation of a member Lease: the epoch of the last map it has acknowledged.</summary>
    public const string AckedEpochAnnotation = "canary.dev/acked-epoch";

    /// <summary>Annotation of the map Lease: its epoch.</summary>
    public const string EpochAnnotation = "canary.dev/shard-epoch";

    /// <summary>Annotation of the map Lease: the member identities, comma-separated, sorted.</summary>
    public const string MembersAnnotation = "canary.dev/shard-members";

    /// <summary>Name of the map Lease of <paramref name="group"/>.</summary>
    public static string MapName(string group) => $"{group}-shards";

    /// <summary>Name of the member Lease of a replica (its identity is not a valid object name).</summary>
    public static string MemberName(string group, string memberId) => $"{group}-shard-{memberId}";

    /// <summary>The agreed members and epoch held by <paramref name="map"/>; epoch 0 and no member when absent.</summary>
    public static (long Epoch, IReadOnlyList<string> Members) ReadMap(V1Lease? map)
    {
        var annotations = map?.Metadata?.Annotations;
        if (annotations is null || !annotations.TryGetValue(EpochAnnotation, out var epochText)
            || !long.TryParse(epochText, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            return (0, []);
        }

        var members = annotations.TryGetValue(MembersAnnotation, out var list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
        return (epoch, members);
    }

    /// <summary>The epoch a member Lease acknowledges; -1 when none.</summary>
    public static long AckedEpoch(V1Lease lease) =>
        lease?.Metadata?.Annotations?.TryGetValue(AckedEpochAnnotation, out var text) == true
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? epoch
            : -1;

    /// <summary>Writes the map's <paramref name="epoch"/> and <paramref name="members"/> onto <paramref name="map"/>.</summary>
    public static V1Lease WithMap(V1Lease map, long epoch, IReadOnlyCollection<string> members)
    {
        ArgumentNullException.ThrowIfNull(map);
        map.Metadata.Annotations ??= new Dictionary<string, string>();
        map.Metadata.Annotations[EpochAnnotation] = epoch.ToString(CultureInfo.InvariantCulture);
        map.Metadata.Annotations[MembersAnnotation] = string.Join(',', members.Order(StringComparer.Ordinal));
        return map;
    }
}
