using Canary.Api.V1Beta1;
using k8s.Models;

namespace Canary.Providers.Tests.Support;

/// <summary>Canary objects shaped like Flagger's podinfo examples.</summary>
internal static class TestCanaries
{
    public const string Namespace = "test";
    public const string Uid = "6d4f7a4e-1111-4c4c-9c9c-000000000001";

    public static Api.V1Beta1.Canary Podinfo(Action<Api.V1Beta1.Canary>? configure = null)
    {
        var canary = new Api.V1Beta1.Canary
        {
            Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = Namespace, Uid = Uid },
            Spec = new CanarySpec
            {
                TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "podinfo" },
                Service = new CanaryService { Port = 9898 },
                Analysis = new CanaryAnalysis { Interval = "1m", Threshold = 5, StepWeight = 10, MaxWeight = 50 },
            },
        };
        configure?.Invoke(canary);
        return canary;
    }

    public static Api.V1Beta1.Canary WithGateway(Action<Api.V1Beta1.Canary>? configure = null) => Podinfo(c =>
    {
        c.Spec.Provider = "gatewayapi:v1";
        c.Spec.Service!.GatewayRefs = [new ParentReference { Name = "gateway", Namespace = "istio-ingress" }];
        c.Spec.Service.Hosts = ["app.example.com"];
        configure?.Invoke(c);
    });

    /// <summary>A/B: header exact match and Flagger's documented cookie regex.</summary>
    public static void AbTesting(Api.V1Beta1.Canary c)
    {
        c.Spec.Analysis = new CanaryAnalysis
        {
            Interval = "1m",
            Threshold = 5,
            Iterations = 10,
            Match =
            [
                new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "insider" } } },
                new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["cookie"] = new() { Regex = "^(.*?;)?(canary=always)(;.*)?$" } } },
            ],
        };
    }

    /// <summary>Blue/green with traffic mirroring.</summary>
    public static void BlueGreenMirror(Api.V1Beta1.Canary c) =>
        c.Spec.Analysis = new CanaryAnalysis { Interval = "1m", Threshold = 5, Iterations = 5, Mirror = true, MirrorWeight = 50 };
}
