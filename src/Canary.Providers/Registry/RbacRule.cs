namespace Canary.Providers.Registry;

/// <summary>One RBAC permission a plug-in needs: verbs on a resource of an API group (core group: empty).</summary>
/// <param name="ApiGroup">API group; empty for the core group.</param>
/// <param name="Resource">Plural resource name (a subresource as <c>deployments/scale</c>).</param>
/// <param name="Verbs">Verbs used.</param>
public sealed record RbacRule(string ApiGroup, string Resource, IReadOnlyList<string> Verbs)
{
    /// <summary>
    /// The verbs a plug-in needs on the objects it owns: read, watch (informer caches), create and replace. No delete:
    /// what the controller creates carries an owner reference to the Canary, so garbage collection removes it.
    /// </summary>
    public static IReadOnlyList<string> ReadWrite { get; } = ["get", "list", "watch", "create", "update"];

    /// <summary><c>group/resource:verb</c> for each verb, the form the manifest test compares.</summary>
    public IEnumerable<string> Grants => Verbs.Select(v => $"{ApiGroup}/{Resource}:{v}");
}
