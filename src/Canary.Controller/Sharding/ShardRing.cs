using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Canary.Controller.Reconciliation;

namespace Canary.Controller.Sharding;

/// <summary>
/// Rendezvous (highest random weight) hashing of Canaries over replicas: each key goes to the member with the highest
/// hash of (member, key), so a member joining takes about 1/N of the keys from the others and a member leaving hands
/// only its own keys on; every replica computes the same owner from the same member list.
/// </summary>
public static class ShardRing
{
    /// <summary>The member that owns <paramref name="key"/>; null when there are no members.</summary>
    public static string? Owner(CanaryKey key, IReadOnlyCollection<string> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        string? owner = null;
        var best = 0UL;
        foreach (var member in members)
        {
            var weight = Weight(member, key);
            if (owner is null || weight > best || (weight == best && string.CompareOrdinal(member, owner) > 0))
            {
                (owner, best) = (member, weight);
            }
        }

        return owner;
    }

    // SHA-256 rather than string.GetHashCode: it must agree across processes and .NET versions.
    private static ulong Weight(string member, CanaryKey key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{member}\n{key.Namespace}/{key.Name}"), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
