using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Providers.Builders;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;
using k8s.Models;

namespace Canary.Providers.Tests.Builders;

public sealed class CanaryIngressBuilderGoldenTests
{
    private const string Prefix = "nginx.ingress.kubernetes.io";

    internal static V1Ingress UserIngress() => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "Ingress",
        Metadata = new V1ObjectMeta
        {
            Name = "podinfo",
            NamespaceProperty = TestCanaries.Namespace,
            Labels = new Dictionary<string, string> { ["app"] = "podinfo" },
            Annotations = new Dictionary<string, string>
            {
                ["nginx.ingress.kubernetes.io/rewrite-target"] = "/",
                ["nginx.ingress.kubernetes.io/canary-weight"] = "77",
                ["kubectl.kubernetes.io/last-applied-configuration"] = "{}",
            },
        },
        Spec = new V1IngressSpec
        {
            IngressClassName = "nginx",
            Rules =
            [
                new V1IngressRule
                {
                    Host = "app.example.com",
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths =
                        [
                            new V1HTTPIngressPath
                            {
                                Path = "/",
                                PathType = "Prefix",
                                Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "podinfo", Port = new V1ServiceBackendPort { Number = 9898 } } },
                            },
                            new V1HTTPIngressPath
                            {
                                Path = "/static",
                                PathType = "Prefix",
                                Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "cdn", Port = new V1ServiceBackendPort { Number = 80 } } },
                            },
                        ],
                    },
                },
            ],
        },
    };

    internal static CanaryResource NginxCanary(Action<CanaryResource>? configure = null) => TestCanaries.Podinfo(c =>
    {
        c.Spec.Provider = "nginx";
        c.Spec.IngressRef = new LocalObjectReference { ApiVersion = "networking.k8s.io/v1", Kind = "Ingress", Name = "podinfo" };
        configure?.Invoke(c);
    });

    [Fact]
    public void Canary_ingress_at_weight_10()
    {
        var canary = NginxCanary();
        var ingress = CanaryIngressBuilder.Build(canary, UserIngress(), Prefix);
        ingress.Metadata.Annotations = CanaryIngressBuilder.RouteAnnotations(canary, ingress.Metadata.Annotations, Prefix, 10);
        Golden.AssertMatches("nginx", "canary-weight-10", Golden.Of(ingress));
        Assert.Equal(new RouteState(90, 10, false), CanaryIngressBuilder.ReadRoutes(canary, ingress, Prefix));
    }

    [Fact]
    public void AB_header_and_cookie_annotations()
    {
        var canary = NginxCanary(c => c.Spec.Analysis = new CanaryAnalysis
        {
            Iterations = 10,
            Match =
            [
                new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Regex = ".*insider.*" } } },
                new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["cookie"] = new() { Exact = "canary" } } },
            ],
        });
        var ingress = CanaryIngressBuilder.Build(canary, UserIngress(), Prefix);
        ingress.Metadata.Annotations = CanaryIngressBuilder.RouteAnnotations(canary, ingress.Metadata.Annotations, Prefix, 100);
        Golden.AssertMatches("nginx", "ab-header-cookie", JsonNode.Parse(Golden.Of(ingress.Metadata.Annotations).ToJsonString())!);
        Assert.Equal(new RouteState(0, 100, false), CanaryIngressBuilder.ReadRoutes(canary, ingress, Prefix));

        // Back to weight 0: the routing annotations are dropped, NGINX sends nothing to the canary.
        var reset = CanaryIngressBuilder.RouteAnnotations(canary, ingress.Metadata.Annotations, Prefix, 0);
        Assert.Equal(
            new Dictionary<string, string>
            {
                [$"{Prefix}/rewrite-target"] = "/",
                [$"{Prefix}/canary"] = "true",
                [$"{Prefix}/canary-weight"] = "0",
                ["kustomize.toolkit.fluxcd.io/reconcile"] = "disabled",
                ["helm.toolkit.fluxcd.io/driftDetection"] = "disabled",
            },
            reset);
    }

    [Fact]
    public void Header_value_annotation_for_exact_match_and_custom_prefix()
    {
        var canary = NginxCanary(c => c.Spec.Analysis = new CanaryAnalysis
        {
            Iterations = 10,
            Match = [new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "insider" } } }],
        });
        var annotations = CanaryIngressBuilder.RouteAnnotations(canary, null, "custom.ingress.kubernetes.io", 100);
        Assert.Equal("x-canary", annotations["custom.ingress.kubernetes.io/canary-by-header"]);
        Assert.Equal("insider", annotations["custom.ingress.kubernetes.io/canary-by-header-value"]);
        Assert.False(annotations.ContainsKey("custom.ingress.kubernetes.io/canary-by-header-pattern"));
    }

    [Fact]
    public void Missing_apex_backend_is_a_clear_error()
    {
        var canary = NginxCanary(c => c.Spec.Service!.Name = "other");
        var error = Assert.Throws<TrafficRouterException>(() => CanaryIngressBuilder.Build(canary, UserIngress(), Prefix));
        Assert.Contains("backend other not found in ingress podinfo", error.Message, StringComparison.Ordinal);
    }
}
