namespace Canary.Controller.Informers;

/// <summary>Group, version and plural of a custom resource, with its kind name.</summary>
/// <param name="Group">API group, e.g. networking.istio.io.</param>
/// <param name="Version">Version, e.g. v1.</param>
/// <param name="Plural">Plural resource name, e.g. virtualservices.</param>
/// <param name="Kind">Kind, e.g. VirtualService.</param>
/// <param name="Namespaced">False for cluster-scoped kinds.</param>
public sealed record CustomResourceKind(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    /// <summary>group/version.</summary>
    public string ApiVersion => $"{Group}/{Version}";
}
