namespace Canary.Sandbox.ApiServer.Resources;

/// <summary>The built-in kinds the sandbox serves from start-up.</summary>
public static class BuiltInResources
{
    public static readonly GroupVersionResource Namespaces = GroupVersionResource.Core("namespaces");
    public static readonly GroupVersionResource Services = GroupVersionResource.Core("services");
    public static readonly GroupVersionResource ConfigMaps = GroupVersionResource.Core("configmaps");
    public static readonly GroupVersionResource Secrets = GroupVersionResource.Core("secrets");
    public static readonly GroupVersionResource Events = GroupVersionResource.Core("events");
    public static readonly GroupVersionResource ServiceAccounts = GroupVersionResource.Core("serviceaccounts");
    public static readonly GroupVersionResource Pods = GroupVersionResource.Core("pods");
    public static readonly GroupVersionResource Deployments = GroupVersionResource.Apps("deployments");
    public static readonly GroupVersionResource ReplicaSets = GroupVersionResource.Apps("replicasets");
    public static readonly GroupVersionResource DaemonSets = GroupVersionResource.Apps("daemonsets");
    public static readonly GroupVersionResource HorizontalPodAutoscalers = new("autoscaling", "v2", "horizontalpodautoscalers");
    public static readonly GroupVersionResource Ingresses = new("networking.k8s.io", "v1", "ingresses");
    public static readonly GroupVersionResource Leases = new("coordination.k8s.io", "v1", "leases");
    public static readonly GroupVersionResource EventsV1 = new("events.k8s.io", "v1", "events");
    public static readonly GroupVersionResource CustomResourceDefinitions = new("apiextensions.k8s.io", "v1", "customresourcedefinitions");
    public static readonly GroupVersionResource Roles = Rbac("roles");
    public static readonly GroupVersionResource ClusterRoles = Rbac("clusterroles");
    public static readonly GroupVersionResource RoleBindings = Rbac("rolebindings");
    public static readonly GroupVersionResource ClusterRoleBindings = Rbac("clusterrolebindings");

    private static readonly ScaleSubresource ReplicasScale = new(".spec.replicas", ".status.replicas", ".spec.selector");

    /// <summary>All built-in resource types.</summary>
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Core("namespaces", "namespace", "Namespace", false, ["ns"], hasStatus: true, returnsObject: true),
        Core("services", "service", "Service", true, ["svc"], hasStatus: true),
        Core("configmaps", "configmap", "ConfigMap", true, ["cm"]),
        Core("secrets", "secret", "Secret", true, []),
        Core("events", "event", "Event", true, ["ev"]),
        Core("serviceaccounts", "serviceaccount", "ServiceAccount", true, ["sa"]),
        Core("pods", "pod", "Pod", true, ["po"], hasStatus: true, returnsObject: true),
        Apps("deployments", "deployment", "Deployment", ["deploy"], ReplicasScale),
        Apps("replicasets", "replicaset", "ReplicaSet", ["rs"], ReplicasScale),
        Apps("daemonsets", "daemonset", "DaemonSet", ["ds"], null),
        new ResourceType
        {
            Group = "autoscaling", Version = "v2", Plural = "horizontalpodautoscalers", Singular = "horizontalpodautoscaler",
            Kind = "HorizontalPodAutoscaler", Namespaced = true, ShortNames = ["hpa"], Categories = ["all"], HasStatus = true, TracksGeneration = true,
        },
        new ResourceType
        {
            Group = "networking.k8s.io", Version = "v1", Plural = "ingresses", Singular = "ingress",
            Kind = "Ingress", Namespaced = true, ShortNames = ["ing"], HasStatus = true, TracksGeneration = true,
        },
        new ResourceType
        {
            Group = "coordination.k8s.io", Version = "v1", Plural = "leases", Singular = "lease", Kind = "Lease", Namespaced = true,
        },
        new ResourceType
        {
            Group = "events.k8s.io", Version = "v1", Plural = "events", Singular = "event", Kind = "Event", Namespaced = true, ShortNames = ["ev"],
        },
        new ResourceType
        {
            Group = "apiextensions.k8s.io", Version = "v1", Plural = "customresourcedefinitions", Singular = "customresourcedefinition",
            Kind = "CustomResourceDefinition", Namespaced = false, ShortNames = ["crd", "crds"], Categories = ["api-extensions"],
            HasStatus = true, TracksGeneration = true,
        },
        RbacType("roles", "role", "Role", true),
        RbacType("clusterroles", "clusterrole", "ClusterRole", false),
        RbacType("rolebindings", "rolebinding", "RoleBinding", true),
        RbacType("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false),
    ];

    private static GroupVersionResource Rbac(string plural) => new("rbac.authorization.k8s.io", "v1", plural);

    private static ResourceType RbacType(string plural, string singular, string kind, bool namespaced) => new()
    {
        Group = "rbac.authorization.k8s.io", Version = "v1", Plural = plural, Singular = singular, Kind = kind, Namespaced = namespaced,
    };

    private static ResourceType Core(string plural, string singular, string kind, bool namespaced, string[] shortNames, bool hasStatus = false, bool returnsObject = false) =>
        new()
        {
            Group = string.Empty, Version = "v1", Plural = plural, Singular = singular, Kind = kind, Namespaced = namespaced,
            ShortNames = shortNames, HasStatus = hasStatus, ReturnsDeletedObject = returnsObject,
            Categories = plural is "pods" or "services" ? ["all"] : [],
        };

    private static ResourceType Apps(string plural, string singular, string kind, string[] shortNames, ScaleSubresource? scale) =>
        new()
        {
            Group = "apps", Version = "v1", Plural = plural, Singular = singular, Kind = kind, Namespaced = true, ShortNames = shortNames,
            Categories = ["all"], HasStatus = true, Scale = scale, TracksGeneration = true,
        };
}
