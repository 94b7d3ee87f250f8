namespace Canary.Kubernetes.Resources;

/// <summary>
/// A resource type (group, version, plural, kind): what a router or target reads or writes, and what the controller
/// must watch, cache and be granted.
/// </summary>
/// <param name="Group">API group; empty for the core group.</param>
/// <param name="Version">API version within the group.</param>
/// <param name="Plural">Plural resource name used in URLs and RBAC rules.</param>
/// <param name="Kind">Kind written in objects.</param>
/// <param name="Namespaced">False for cluster-scoped kinds.</param>
public sealed record ResourceKind(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    /// <summary><c>group/version</c>, or just the version for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}
