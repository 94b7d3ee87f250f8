namespace Canary.Api.V1Beta1;

/// <summary>Traffic provider names accepted in <c>spec.provider</c> (Flagger's names).</summary>
public static class TrafficProviders
{
    public const string Apisix = "apisix";
    public const string AppMesh = "appmesh";
    public const string AppMeshV1Beta2 = "appmesh:v1beta2";
    public const string Contour = "contour";
    public const string GatewayApi = "gatewayapi";
    public const string GatewayApiV1 = "gatewayapi:v1";
    public const string GatewayApiV1Beta1 = "gatewayapi:v1beta1";
    public const string Gloo = "gloo";
    public const string Istio = "istio";
    public const string Knative = "knative";
    public const string Kubernetes = "kubernetes";
    public const string Kuma = "kuma";
    public const string Linkerd = "linkerd";
    public const string Nginx = "nginx";
    public const string Osm = "osm";
    public const string Skipper = "skipper";
    public const string SmiV1Alpha1 = "smi:v1alpha1";
    public const string SmiV1Alpha2 = "smi:v1alpha2";
    public const string SmiV1Alpha3 = "smi:v1alpha3";
    public const string Traefik = "traefik";

    /// <summary>Every accepted provider name, sorted.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Apisix, AppMesh, AppMeshV1Beta2, Contour, GatewayApi, GatewayApiV1, GatewayApiV1Beta1, Gloo, Istio, Knative,
        Kubernetes, Kuma, Linkerd, Nginx, Osm, Skipper, SmiV1Alpha1, SmiV1Alpha2, SmiV1Alpha3, Traefik,
    ];

    /// <summary>
    /// Providers that will not be implemented, with why and what to use instead: accepted by the CRD (Flagger's enum, so a
    /// Flagger Canary is still admitted) and refused by the controller with this reason.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Retired { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [AppMesh] = AppMeshRetired,
        [AppMeshV1Beta2] = AppMeshRetired,
        [Osm] = "Open Service Mesh is archived (no releases since 2023); use linkerd or istio, or gatewayapi for a mesh that implements GAMMA",
    };

    private const string AppMeshRetired = "AWS ended support for App Mesh on 2026-09-30; use gatewayapi (Amazon VPC Lattice implements Gateway API) or istio";

    /// <summary>True for the Gateway API providers, which need <c>service.gatewayRefs</c>.</summary>
    public static bool IsGatewayApi(string? provider) =>
        provider is not null && provider.StartsWith(GatewayApi, StringComparison.Ordinal);
}
