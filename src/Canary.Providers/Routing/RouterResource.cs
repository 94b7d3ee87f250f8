namespace Canary.Providers.Routing;

/// <summary>A resource type (group, version, plural) a router reads or writes; what the controller must watch and cache.</summary>
/// <param name="Group">API group; empty for the core group.</param>
/// <param name="Version">API version within the group.</param>
/// <param name="Plural">Plural resource name used in URLs.</param>
/// <param name="Kind">Kind written in objects.</param>
public sealed record RouterResource(string Group, string Version, string Plural, string Kind)
{
    /// <summary><c>group/version</c>, or just the version for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}
