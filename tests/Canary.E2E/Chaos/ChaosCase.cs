using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Providers.Registry;
using k8s.Models;

namespace Canary.E2E.Chaos;

/// <summary>The release strategies a Canary can ask for (Flagger's deployment strategies), plus a failing release.</summary>
public enum ChaosStrategy
{
    /// <summary>Progressive weights (stepWeight up to maxWeight).</summary>
    Canary,

    /// <summary>Progressive weights with the canary's traffic also mirrored (istio's weighted mirroring).</summary>
    WeightedMirror,

    /// <summary>A/B testing: iterations with header matches.</summary>
    ABTesting,

    /// <summary>Blue/green: iterations, then the switch.</summary>
    BlueGreen,

    /// <summary>Blue/green with traffic mirrored to the canary during the iterations.</summary>
    Mirroring,

    /// <summary>A release whose analysis fails from the second step on: rolled back.</summary>
    Rollback,
}

/// <summary>
/// One cell of the chaos matrix: a provider from the traffic-provider registry and a strategy it supports. The Canary
/// carries every webhook type, all answered by a real HTTP receiver (rollback hooks answer 403, so they never roll back).
/// </summary>
public sealed record ChaosCase(string Provider, ChaosStrategy Strategy)
{
    /// <summary>The analysis interval the driver's clock advances by.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>Every strategy of every registered provider, as its capabilities allow (a new provider joins by registering).</summary>
    public static IEnumerable<ChaosCase> Matrix()
    {
        foreach (var provider in TrafficProviderRegistry.Default.Providers)
        {
            var can = provider.Capabilities;
            var strategies = new List<ChaosStrategy>();
            if (can.SplitsTraffic)
            {
                strategies.Add(ChaosStrategy.Canary);
            }

            if (can.WeightedMirror)
            {
                strategies.Add(ChaosStrategy.WeightedMirror);
            }

            if (can.Matches)
            {
                strategies.Add(ChaosStrategy.ABTesting);
            }

            strategies.Add(ChaosStrategy.BlueGreen);
            if (can.BlueGreenMirror)
            {
                strategies.Add(ChaosStrategy.Mirroring);
            }

            strategies.Add(ChaosStrategy.Rollback);
            foreach (var strategy in strategies)
            {
                yield return new ChaosCase(provider.Name, strategy);
            }
        }
    }

    /// <summary>Whether the provider shifts weights (else the rollback case fails during blue/green iterations).</summary>
    public bool SplitsTraffic => TrafficProviderRegistry.Default.Resolve(Provider).Capabilities.SplitsTraffic;

    /// <summary>The analysis fails from this point of the release on (only <see cref="ChaosStrategy.Rollback"/>).</summary>
    public bool AnalysisFails(CanaryStatus? status) => Strategy == ChaosStrategy.Rollback
        && (SplitsTraffic ? status?.CanaryWeight >= 40 : status?.Iterations >= 2);

    /// <summary>The Canary of this case in <paramref name="ns"/>, its webhooks pointing at <paramref name="receiver"/>.</summary>
    public CanaryResource Canary(string ns, WebhookReceiver receiver)
    {
        var analysis = new CanaryAnalysis { Interval = "10s", Threshold = 2 };
        switch (Strategy)
        {
            case ChaosStrategy.Canary:
                analysis.StepWeight = 20;
                analysis.MaxWeight = 60;
                break;
            case ChaosStrategy.WeightedMirror:
                analysis.StepWeight = 20;
                analysis.MaxWeight = 40;
                analysis.Mirror = true;
                analysis.MirrorWeight = 50;
                break;
            case ChaosStrategy.ABTesting:
                analysis.Iterations = 3;
                analysis.Match = [new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "insider" } } }];
                break;
            case ChaosStrategy.BlueGreen:
                analysis.Iterations = 3;
                break;
            case ChaosStrategy.Mirroring:
                analysis.Iterations = 3;
                analysis.Mirror = true;
                break;
            case ChaosStrategy.Rollback when SplitsTraffic:
                analysis.StepWeight = 20;
                analysis.MaxWeight = 60;
                break;
            case ChaosStrategy.Rollback:
                analysis.Iterations = 4;
                break;
        }

        analysis.Webhooks =
        [
            .. new[]
            {
                WebhookTypes.ConfirmRollout, WebhookTypes.PreRollout, WebhookTypes.Rollout, WebhookTypes.ConfirmTrafficIncrease,
                WebhookTypes.ConfirmPromotion, WebhookTypes.PostRollout, WebhookTypes.Rollback, WebhookTypes.Event,
            }.Select(type => Podinfo.Hook(receiver, ns, type)),
        ];
        var canary = Podinfo.Canary(ns, Provider, analysis);
        if (KnativeTarget)
        {
            canary.Spec.TargetRef = new TargetReference { ApiVersion = "serving.knative.dev/v1", Kind = TargetKinds.Service, Name = Podinfo.Name };
        }

        if (UsesIngress)
        {
            canary.Spec.IngressRef = new LocalObjectReference { ApiVersion = "networking.k8s.io/v1", Kind = "Ingress", Name = Podinfo.Name };
        }

        if (UsesRoute)
        {
            canary.Spec.RouteRef = new LocalObjectReference { ApiVersion = "apisix.apache.org/v2", Kind = "ApisixRoute", Name = Podinfo.Name };
        }

        return canary;
    }

    /// <summary>The provider routes a Knative Service, the Canary's target (knative): the driver plays Knative Serving.</summary>
    public bool KnativeTarget => Provider == TrafficProviders.Knative;

    private bool UsesIngress => TrafficProviderRegistry.Default.Resolve(Provider).UsesIngressRef;

    private bool UsesRoute => TrafficProviderRegistry.Default.Resolve(Provider).UsesRouteRef;

    /// <summary>The user's ApisixRoute (apisix), as the demo writes it.</summary>
    public IEnumerable<System.Text.Json.Nodes.JsonObject> UserApisixRoutes(string ns)
    {
        if (!UsesRoute)
        {
            yield break;
        }

        var route = Sandbox.Demo.DemoManifests.ApisixRoute(Podinfo.Name);
        route["metadata"]!["namespace"] = ns;
        yield return route;
    }

    /// <summary>The user's objects besides the Deployment that the provider routes through (nginx, skipper: the Ingress).</summary>
    public IEnumerable<V1Ingress> UserIngresses(string ns)
    {
        if (!UsesIngress)
        {
            yield break;
        }

        yield return new V1Ingress
        {
            Metadata = new V1ObjectMeta { Name = Podinfo.Name, NamespaceProperty = ns, Annotations = new Dictionary<string, string> { ["kubernetes.io/ingress.class"] = Provider } },
            Spec = new V1IngressSpec
            {
                Rules =
                [
                    new V1IngressRule
                    {
                        Host = "app.example.com",
                        Http = new V1HTTPIngressRuleValue
                        {
                            Paths = [new V1HTTPIngressPath { Path = "/", PathType = "Prefix", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = Podinfo.Name, Port = new V1ServiceBackendPort { Number = Podinfo.Port } } } }],
                        },
                    },
                ],
            },
        };
    }

    public override string ToString() => $"{Provider} {Strategy}";
}
