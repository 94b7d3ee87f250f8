using System.Text.Json.Nodes;
using Canary.Kubernetes.Resources;
using k8s.Models;

namespace Canary.Providers.Apply;

/// <summary>
/// The controller's informer caches, offered to the first read of a read-modify-write: an object that is already as
/// wanted then costs no request at all. A stale copy is harmless: the write carries its resourceVersion, fails with 409,
/// and the retry reads the live object.
/// </summary>
public interface IObjectCache
{
    /// <summary>True when Services are cached (then <paramref name="service"/> is a copy, or null when absent).</summary>
    bool TryGetService(string ns, string name, out V1Service? service);

    /// <summary>True when <paramref name="kind"/> is cached (then <paramref name="value"/> is a copy, or null when absent).</summary>
    bool TryGetObject(ResourceKind kind, string ns, string name, out JsonObject? value);
}
