namespace Canary.Api.V1Beta1;

/// <summary>Identity of the <c>canary.dev/v1beta1</c> API group: group, version and the kinds it serves.</summary>
public static class CanaryApi
{
    /// <summary>API group of every Canary resource.</summary>
    public const string Group = "canary.dev";

    /// <summary>Version served and stored.</summary>
    public const string Version = "v1beta1";

    /// <summary><c>apiVersion</c> written on objects of this group.</summary>
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>Suffix of every primary object generated from a Canary (workload, Service, ConfigMaps, Secrets, autoscaler).</summary>
    public const string PrimarySuffix = "-primary";

    /// <summary>Category the CRDs join, so <c>kubectl get all</c> lists them (as Flagger does).</summary>
    public const string Category = "all";
}
