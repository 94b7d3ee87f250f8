using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.Demo;
using Canary.Sandbox.Tests.Workloads;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>The objects the routers write (shapes of tests/Canary.Providers.Tests/Golden) and the workloads behind them.</summary>
internal static class Objects
{
    public const int Port = 9898;

    public static readonly GroupVersionResource HttpRoutes = new("gateway.networking.k8s.io", "v1", "httproutes");
    public static readonly GroupVersionResource VirtualServices = new("networking.istio.io", "v1beta1", "virtualservices");
    public static readonly GroupVersionResource TrafficSplits = new("split.smi-spec.io", "v1alpha1", "trafficsplits");
    public static readonly GroupVersionResource HttpProxies = new("projectcontour.io", "v1", "httpproxies");
    public static readonly GroupVersionResource TraefikServices = new("traefik.io", "v1alpha1", "traefikservices");
    public static readonly GroupVersionResource TrafficRoutes = new("kuma.io", "v1alpha1", "trafficroutes");
    public static readonly GroupVersionResource RouteTables = new("gateway.solo.io", "v1", "routetables");
    public static readonly GroupVersionResource Upstreams = new("gloo.solo.io", "v1", "upstreams");
    public static readonly GroupVersionResource ApisixRoutes = new("apisix.apache.org", "v2", "apisixroutes");

    /// <summary>
    /// Every provider the demo supports whose data plane's metrics tell the canary from the primary (all but apisix), as
    /// theory data (a new one fails in the fixtures until its routing objects are added).
    /// </summary>
    public static TheoryData<string> DemoProviders
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var provider in DemoProfile.Names.Where(p => DemoProfile.For(p).Judge))
            {
                data.Add(provider);
            }

            return data;
        }
    }

    /// <summary>The Knative revisions of <see cref="TrafficClusterFixture.KnativePodinfoAsync"/>: the latest (canary) and the primary.</summary>
    public static MetricTemplates.Templates.MetricRoutes KnativeRevisions { get; } = new("podinfo-00002", "podinfo-00001");

    /// <summary>The revisions the knative target passes to the metric queries; null for the other providers (the spec decides).</summary>
    public static MetricTemplates.Templates.MetricRoutes? Routes(string provider) => provider == "knative" ? KnativeRevisions : null;

    /// <summary>The workloads serving the canary and the primary: the Deployments, or a Knative revision's Deployment.</summary>
    public static (string Canary, string Primary) SideWorkloads(string provider) => provider == "knative"
        ? ($"{KnativeRevisions.Canary}-deployment", $"{KnativeRevisions.Primary}-deployment")
        : ("podinfo", "podinfo-primary");

    /// <summary>The knative router's split of podinfo's Knative Service: <paramref name="canaryWeight"/> % on the latest revision.</summary>
    public static void SetKnativeSplit(ObjectStore store, string ns, int canaryWeight) =>
        store.Patch(KnativeManifests.Services, ns, "podinfo", ApiServer.Patching.PatchType.Merge, new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["canary.dev/primary-revision"] = KnativeRevisions.Primary } },
            ["spec"] = new JsonObject
            {
                ["traffic"] = new JsonArray(
                    KnativeManifests.Latest(canaryWeight),
                    KnativeManifests.Named(KnativeRevisions.Primary!, 100 - canaryWeight)),
            },
        });

    /// <summary>
    /// Creates the routing objects a demo provider's router would have written with <paramref name="canaryWeight"/> % to the
    /// canary; the kubernetes provider has none (the apex Service keeps users on the primary).
    /// </summary>
    public static void CreateRoutes(ObjectStore store, string provider, string ns, int canaryWeight)
    {
        switch (provider)
        {
            case "istio":
                store.Create(VirtualServices, ns, VirtualService(ns, 100 - canaryWeight, canaryWeight));
                break;
            case "gatewayapi":
                store.Create(HttpRoutes, ns, HttpRoute(ns, 100 - canaryWeight, canaryWeight));
                break;
            case "nginx":
                store.Create(BuiltInResources.Ingresses, ns, Ingress(ns, "podinfo", "podinfo"));
                store.Create(BuiltInResources.Ingresses, ns, Ingress(ns, "podinfo-canary", "podinfo-canary",
                    new() { ["canary"] = "true", ["canary-weight"] = canaryWeight.ToString(CultureInfo.InvariantCulture) }));
                break;
            case "kubernetes":
                break;
            case "linkerd" or "smi:v1alpha1" or "smi:v1alpha2" or "smi:v1alpha3":
                var version = provider == "linkerd" ? "v1alpha1" : provider[4..];
                store.Create(TrafficSplits with { Version = version }, ns, TrafficSplit(ns, version, 100 - canaryWeight, canaryWeight));
                break;
            case "contour":
                store.Create(HttpProxies, ns, HttpProxy(ns, 100 - canaryWeight, canaryWeight));
                break;
            case "traefik":
                store.Create(TraefikServices, ns, TraefikService(ns, 100 - canaryWeight, canaryWeight));
                break;
            case "apisix":
                var user = DemoManifests.ApisixRoute("podinfo");
                user["metadata"]!["namespace"] = ns;
                store.Create(ApisixRoutes, ns, user);
                store.Create(ApisixRoutes, ns, ApisixCanaryRoute(ns, 100 - canaryWeight, canaryWeight));
                break;
            case "gloo":
                store.Create(Upstreams, ns, Upstream(ns, "podinfo-primary"));
                store.Create(Upstreams, ns, Upstream(ns, "podinfo-canary"));
                store.Create(RouteTables, ns, RouteTable(ns, 100 - canaryWeight, canaryWeight));
                break;
            case "kuma":
                store.Create(TrafficRoutes, null, TrafficRoute(ns, 100 - canaryWeight, canaryWeight));
                break;
            case "skipper":
                store.Create(BuiltInResources.Ingresses, ns, SkipperIngress(ns, "podinfo", null));
                store.Create(BuiltInResources.Ingresses, ns, SkipperIngress(ns, "podinfo-canary", (100 - canaryWeight, canaryWeight)));
                break;
            default:
                throw new InvalidOperationException($"no routing objects for provider {provider}");
        }
    }

    public static JsonObject Deployment(string ns, string name, int replicas, Dictionary<string, string>? annotations = null)
    {
        var template = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } };
        if (annotations is not null)
        {
            template["annotations"] = new JsonObject([.. annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))]);
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = template,
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "podinfo", ["image"] = "podinfo:6" }) },
                },
            },
        };
    }

    public static JsonObject Service(string ns, string name, string selectApp) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["app"] = selectApp },
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = Port, ["targetPort"] = Port, ["protocol"] = "TCP" }),
        },
    };

    /// <summary>TrafficSplit podinfo (golden smi/*): v1alpha1 weights as quantity strings, later versions as integers.</summary>
    public static JsonObject TrafficSplit(string ns, string version, int primary, int canary)
    {
        JsonNode Weight(int w) => version == "v1alpha1" ? JsonValue.Create(w.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(w);
        return new JsonObject
        {
            ["apiVersion"] = $"split.smi-spec.io/{version}",
            ["kind"] = "TrafficSplit",
            ["metadata"] = new JsonObject { ["name"] = "podinfo", ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["service"] = "podinfo",
                ["backends"] = new JsonArray(
                    new JsonObject { ["service"] = "podinfo-canary", ["weight"] = Weight(canary) },
                    new JsonObject { ["service"] = "podinfo-primary", ["weight"] = Weight(primary) }),
            },
        };
    }

    /// <summary>HTTPProxy podinfo with one weighted route (golden contour/canary-80-20 without timeouts).</summary>
    public static JsonObject HttpProxy(string ns, int primary, int canary) => new()
    {
        ["apiVersion"] = "projectcontour.io/v1",
        ["kind"] = "HTTPProxy",
        ["metadata"] = new JsonObject { ["name"] = "podinfo", ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["routes"] = new JsonArray(new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["prefix"] = "/" }),
                ["services"] = new JsonArray(
                    new JsonObject { ["name"] = "podinfo-primary", ["port"] = Port, ["weight"] = primary },
                    new JsonObject { ["name"] = "podinfo-canary", ["port"] = Port, ["weight"] = canary }),
            }),
        },
    };

    /// <summary>TraefikService podinfo weighting the two Services (golden traefik/canary-80-20 without metadata).</summary>
    public static JsonObject TraefikService(string ns, int primary, int canary) => new()
    {
        ["apiVersion"] = "traefik.io/v1alpha1",
        ["kind"] = "TraefikService",
        ["metadata"] = new JsonObject { ["name"] = "podinfo", ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["weighted"] = new JsonObject
            {
                ["services"] = new JsonArray(
                    new JsonObject { ["name"] = "podinfo-primary", ["namespace"] = ns, ["port"] = Port, ["weight"] = primary },
                    new JsonObject { ["name"] = "podinfo-canary", ["namespace"] = ns, ["port"] = Port, ["weight"] = canary }),
            },
        },
    };

    private static JsonObject BackendRef(string name, int? weight)
    {
        var backend = new JsonObject { ["group"] = string.Empty, ["kind"] = "Service", ["name"] = name, ["port"] = Port };
        if (weight is { } w)
        {
            backend["weight"] = w;
        }

        return backend;
    }

    private static JsonObject PathPrefix(string path = "/") => new() { ["path"] = new JsonObject { ["type"] = "PathPrefix", ["value"] = path } };

    /// <summary>HTTPRoute podinfo with one weighted rule (golden canary-90-10).</summary>
    public static JsonObject HttpRoute(string ns, int primary, int canary) => Route(ns, new JsonArray(new JsonObject
    {
        ["matches"] = new JsonArray(PathPrefix()),
        ["backendRefs"] = new JsonArray(BackendRef("podinfo-primary", primary), BackendRef("podinfo-canary", canary)),
    }));

    /// <summary>HTTPRoute podinfo for A/B (golden ab-header-cookie): header or cookie matches → canary, the rest → primary.</summary>
    public static JsonObject HttpRouteAb(string ns) => Route(ns, new JsonArray(
        new JsonObject
        {
            ["matches"] = new JsonArray(
                new JsonObject { ["path"] = PathPrefix()["path"]!.DeepClone(), ["headers"] = new JsonArray(new JsonObject { ["name"] = "x-canary", ["type"] = "Exact", ["value"] = "insider" }) },
                new JsonObject { ["path"] = PathPrefix()["path"]!.DeepClone(), ["headers"] = new JsonArray(new JsonObject { ["name"] = "cookie", ["type"] = "RegularExpression", ["value"] = "^(.*?;)?(canary=always)(;.*)?$" }) }),
            ["backendRefs"] = new JsonArray(BackendRef("podinfo-primary", 0), BackendRef("podinfo-canary", 100)),
        },
        new JsonObject
        {
            ["matches"] = new JsonArray(PathPrefix()),
            ["backendRefs"] = new JsonArray(BackendRef("podinfo-primary", 100)),
        }));

    private static JsonObject Route(string ns, JsonArray rules) => new()
    {
        ["apiVersion"] = "gateway.networking.k8s.io/v1",
        ["kind"] = "HTTPRoute",
        ["metadata"] = new JsonObject { ["name"] = "podinfo", ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["parentRefs"] = new JsonArray(new JsonObject { ["group"] = "gateway.networking.k8s.io", ["kind"] = "Gateway", ["name"] = "gateway", ["namespace"] = "istio-ingress" }),
            ["hostnames"] = new JsonArray("app.example.com"),
            ["rules"] = rules,
        },
    };

    /// <summary>An Ingress to <paramref name="service"/> on /; with annotations it is a canary Ingress.</summary>
    public static JsonObject Ingress(string ns, string name, string service, Dictionary<string, string>? annotations = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (annotations is not null)
        {
            metadata["annotations"] = new JsonObject([.. annotations.Select(a => KeyValuePair.Create("nginx.ingress.kubernetes.io/" + a.Key, (JsonNode?)a.Value))]);
        }

        return new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1",
            ["kind"] = "Ingress",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["ingressClassName"] = "nginx",
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["host"] = "app.example.com",
                    ["http"] = new JsonObject
                    {
                        ["paths"] = new JsonArray(new JsonObject
                        {
                            ["path"] = "/",
                            ["pathType"] = "Prefix",
                            ["backend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = service, ["port"] = new JsonObject { ["number"] = Port } } },
                        }),
                    },
                }),
            },
        };
    }

    /// <summary>The canary ApisixRoute podinfo-podinfo-canary the apisix router writes for the demo's route (golden apisix shape).</summary>
    public static JsonObject ApisixCanaryRoute(string ns, int primary, int canary) => new()
    {
        ["apiVersion"] = "apisix.apache.org/v2",
        ["kind"] = "ApisixRoute",
        ["metadata"] = new JsonObject { ["name"] = "podinfo-podinfo-canary", ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["http"] = new JsonArray(new JsonObject
            {
                ["name"] = "podinfo",
                ["priority"] = 10000,
                ["match"] = new JsonObject { ["hosts"] = new JsonArray("podinfo.example.com"), ["paths"] = new JsonArray("/*") },
                ["backends"] = new JsonArray(
                    new JsonObject { ["serviceName"] = "podinfo-primary", ["servicePort"] = Port, ["weight"] = primary },
                    new JsonObject { ["serviceName"] = "podinfo-canary", ["servicePort"] = Port, ["weight"] = canary }),
            }),
        },
    };

    /// <summary>Gloo Upstream &lt;ns&gt;-podinfo-{primary|canary}upstream-9898 for <paramref name="service"/> (golden gloo/canary-upstream shape).</summary>
    public static JsonObject Upstream(string ns, string service) => new()
    {
        ["apiVersion"] = "gloo.solo.io/v1",
        ["kind"] = "Upstream",
        ["metadata"] = new JsonObject { ["name"] = GlooUpstreamName(ns, service), ["namespace"] = ns },
        ["spec"] = new JsonObject { ["kube"] = new JsonObject { ["serviceName"] = service, ["serviceNamespace"] = ns, ["servicePort"] = Port } },
    };

    /// <summary>Gloo RouteTable podinfo weighting the two upstreams (golden gloo/routetable-70-30 shape).</summary>
    public static JsonObject RouteTable(string ns, int primary, int canary) => new()
    {
        ["apiVersion"] = "gateway.solo.io/v1",
        ["kind"] = "RouteTable",
        ["metadata"] = new JsonObject { ["name"] = "podinfo", ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["routes"] = new JsonArray(new JsonObject
            {
                ["inheritablePathMatchers"] = true,
                ["routeAction"] = new JsonObject
                {
                    ["multi"] = new JsonObject
                    {
                        ["destinations"] = new JsonArray(
                            new JsonObject { ["destination"] = new JsonObject { ["upstream"] = new JsonObject { ["name"] = GlooUpstreamName(ns, "podinfo-primary"), ["namespace"] = ns } }, ["weight"] = primary },
                            new JsonObject { ["destination"] = new JsonObject { ["upstream"] = new JsonObject { ["name"] = GlooUpstreamName(ns, "podinfo-canary"), ["namespace"] = ns } }, ["weight"] = canary }),
                    },
                },
            }),
        },
    };

    /// <summary>The upstream the gloo router generates for podinfo-primary or podinfo-canary.</summary>
    public static string GlooUpstreamName(string ns, string service) => $"{ns}-podinfo-{(service.EndsWith("-canary", StringComparison.Ordinal) ? "canary" : "primary")}upstream-{Port}";

    /// <summary>Kuma TrafficRoute podinfo.&lt;ns&gt; (cluster-scoped) splitting the apex (golden kuma/canary-70-30 shape).</summary>
    public static JsonObject TrafficRoute(string ns, int primary, int canary) => new()
    {
        ["apiVersion"] = "kuma.io/v1alpha1",
        ["kind"] = "TrafficRoute",
        ["mesh"] = "default",
        ["metadata"] = new JsonObject { ["name"] = $"podinfo.{ns}" },
        ["spec"] = new JsonObject
        {
            ["sources"] = new JsonArray(new JsonObject { ["match"] = new JsonObject { ["kuma.io/service"] = "*" } }),
            ["destinations"] = new JsonArray(new JsonObject { ["match"] = new JsonObject { ["kuma.io/service"] = $"podinfo_{ns}_svc_{Port}" } }),
            ["conf"] = new JsonObject
            {
                ["split"] = new JsonArray(
                    new JsonObject { ["weight"] = primary, ["destination"] = new JsonObject { ["kuma.io/service"] = $"podinfo-primary_{ns}_svc_{Port}" } },
                    new JsonObject { ["weight"] = canary, ["destination"] = new JsonObject { ["kuma.io/service"] = $"podinfo-canary_{ns}_svc_{Port}" } }),
            },
        },
    };

    /// <summary>
    /// Skipper: the user's Ingress to the apex (<paramref name="weights"/> null), or the canary Ingress the skipper router
    /// writes (golden skipper/canary-weight-20 without the /static path): paths to the primary and the canary, their
    /// weights, Weight(100) while the canary has a share and False() at 0.
    /// </summary>
    public static JsonObject SkipperIngress(string ns, string name, (int Primary, int Canary)? weights)
    {
        var ingress = Ingress(ns, name, weights is null ? "podinfo" : "podinfo-primary");
        ingress["spec"]!["ingressClassName"] = "skipper";
        if (weights is { } w)
        {
            var paths = ingress["spec"]!["rules"]![0]!["http"]!["paths"]!.AsArray();
            var canaryPath = paths[0]!.DeepClone();
            canaryPath["backend"]!["service"]!["name"] = "podinfo-canary";
            paths.Add(canaryPath);
            ingress["metadata"]!["annotations"] = new JsonObject
            {
                ["zalando.org/backend-weights"] = $"{{\"podinfo-canary\":{w.Canary},\"podinfo-primary\":{w.Primary}}}",
                ["zalando.org/skipper-predicate"] = w.Canary > 0 ? "Weight(100)" : "False()",
            };
        }

        return ingress;
    }

    /// <summary>VirtualService podinfo with one weighted route (golden canary-90-10), optionally mirroring to the canary.</summary>
    public static JsonObject VirtualService(string ns, int primary, int canary, double? mirrorPercent = null)
    {
        var route = new JsonObject
        {
            ["route"] = new JsonArray(
                new JsonObject { ["destination"] = new JsonObject { ["host"] = "podinfo-primary" }, ["weight"] = primary },
                new JsonObject { ["destination"] = new JsonObject { ["host"] = "podinfo-canary" }, ["weight"] = canary }),
        };
        if (mirrorPercent is { } percent)
        {
            route["mirror"] = new JsonObject { ["host"] = "podinfo-canary" };
            route["mirrorPercentage"] = new JsonObject { ["value"] = percent };
        }

        return new JsonObject
        {
            ["apiVersion"] = "networking.istio.io/v1beta1",
            ["kind"] = "VirtualService",
            ["metadata"] = new JsonObject { ["name"] = "podinfo", ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["hosts"] = new JsonArray("podinfo"),
                ["gateways"] = new JsonArray("mesh"),
                ["http"] = new JsonArray(route),
            },
        };
    }
}
