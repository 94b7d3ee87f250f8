namespace Canary.Sandbox.ApiServer.Resources;

/// <summary>Identifies a served resource: API group ("" for core), version and plural name.</summary>
public readonly record struct GroupVersionResource(string Group, string Version, string Resource)
{
    /// <summary>"v1" for the core group, otherwise "group/version" (the apiVersion of its objects).</summary>
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>A core/v1 resource such as "configmaps".</summary>
    public static GroupVersionResource Core(string resource) => new(string.Empty, "v1", resource);

    public static GroupVersionResource Apps(string resource) => new("apps", "v1", resource);

    public override string ToString() => $"{GroupVersion}/{Resource}";
}
