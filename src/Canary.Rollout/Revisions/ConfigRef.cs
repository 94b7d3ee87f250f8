namespace Canary.Rollout.Revisions;

/// <summary>Kind of a tracked configuration object.</summary>
public enum ConfigKind
{
    /// <summary>core/v1 ConfigMap.</summary>
    ConfigMap,

    /// <summary>core/v1 Secret.</summary>
    Secret,
}

/// <summary>A ConfigMap or Secret referenced by a pod spec.</summary>
/// <param name="Kind">ConfigMap or Secret.</param>
/// <param name="Name">Object name.</param>
/// <param name="Optional">True when every reference to it is optional (a missing object is then skipped).</param>
public sealed record ConfigRef(ConfigKind Kind, string Name, bool Optional)
{
    /// <summary>Key in <c>status.trackedConfigs</c>: <c>configmap/&lt;name&gt;</c> or <c>secret/&lt;name&gt;</c>.</summary>
    public string Key => (Kind == ConfigKind.ConfigMap ? "configmap/" : "secret/") + Name;
}
