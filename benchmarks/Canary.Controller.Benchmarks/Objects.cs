using System.Globalization;
using System.Text.Json.Nodes;

namespace Canary.Controller.Benchmarks;

/// <summary>One app of a benchmark: a Deployment and its Canary of the same name.</summary>
internal sealed record App(string Namespace, string Name)
{
    public string Key => $"{Namespace}/{Name}";

    /// <summary>The <paramref name="index"/>th app, in <c>default</c> or, with <paramref name="ownNamespace"/>, in a namespace of its own.</summary>
    public static App Of(int index, bool ownNamespace)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"app-{index:D5}");
        return new App(ownNamespace ? name : Objects.Namespace, name);
    }
}

/// <summary>Minimal objects seeded into the emulated API server.</summary>
internal static class Objects
{
    public const string Namespace = "default";

    /// <summary>The canary.dev CRDs the controller watches.</summary>
    public static IEnumerable<JsonObject> CanaryCrds() =>
    [
        Crd("canary.dev", "canaries", "Canary", ["v1beta1"]),
        Crd("canary.dev", "canaryrequests", "CanaryRequest", ["v1beta1"]),
        Crd("canary.dev", "metrictemplates", "MetricTemplate", ["v1beta1"]),
        Crd("canary.dev", "alertproviders", "AlertProvider", ["v1beta1"]),
    ];

    /// <summary>HTTPRoute, written by the gatewayapi provider and read by the traffic simulator.</summary>
    public static JsonObject HttpRouteCrd() => Crd("gateway.networking.k8s.io", "httproutes", "HTTPRoute", ["v1", "v1beta1"]);

    public static JsonObject NamespaceObject(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = name },
    };

    public static JsonObject Crd(string group, string plural, string kind, string[] versions) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"{plural}.{group}" },
        ["spec"] = new JsonObject
        {
            ["group"] = group,
            ["scope"] = "Namespaced",
            ["names"] = new JsonObject { ["plural"] = plural, ["singular"] = kind.ToLowerInvariant(), ["kind"] = kind, ["listKind"] = kind + "List" },
            ["versions"] = new JsonArray([.. versions.Select((v, i) => (JsonNode?)new JsonObject
            {
                ["name"] = v,
                ["served"] = true,
                ["storage"] = i == 0,
                ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                ["schema"] = new JsonObject { ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
            })]),
        },
    };

    public static JsonObject Deployment(string name, int replicas = 2, string ns = Namespace) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = name } },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app:1", ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080 }) }) },
            },
        },
    };

    /// <summary>The placeholder benchmark's Canary (never reconciled by the engine).</summary>
    public static JsonObject Canary(string name) => CanaryOf(new App(Namespace, name), new JsonObject
    {
        ["targetRef"] = TargetRef(name),
        ["service"] = new JsonObject { ["port"] = 80, ["targetPort"] = 8080 },
        ["analysis"] = new JsonObject
        {
            ["interval"] = "1m", ["threshold"] = 5, ["maxWeight"] = 50, ["stepWeight"] = 10,
            ["metrics"] = new JsonArray(new JsonObject { ["name"] = "request-success-rate", ["thresholdRange"] = new JsonObject { ["min"] = 99 }, ["interval"] = "1m" }),
        },
    });

    /// <summary>A fleet Canary as a blue/green user of the kubernetes provider writes it: Flagger's 1 m interval, 10 iterations.</summary>
    public static JsonObject FleetCanary(App app) => CanaryOf(app, new JsonObject
    {
        ["provider"] = "kubernetes",
        ["targetRef"] = TargetRef(app.Name),
        ["service"] = new JsonObject { ["port"] = 80, ["targetPort"] = 8080 },
        ["analysis"] = new JsonObject
        {
            ["interval"] = "1m", ["threshold"] = 5, ["iterations"] = 10,
            ["metrics"] = new JsonArray(new JsonObject { ["name"] = "request-success-rate", ["thresholdRange"] = new JsonObject { ["min"] = 99 }, ["interval"] = "1m" }),
        },
    });

    /// <summary>
    /// A time-scaled weighted release through an HTTPRoute: every <paramref name="interval"/> one check of the built-in
    /// success rate over <paramref name="window"/>, 5 steps of 10 % up to 50 %, rollback after 3 failed checks.
    /// </summary>
    public static JsonObject ReleaseCanary(App app, string interval, string window) => CanaryOf(app, new JsonObject
    {
        ["provider"] = "gatewayapi:v1",
        ["targetRef"] = TargetRef(app.Name),
        ["progressDeadlineSeconds"] = 120,
        ["service"] = new JsonObject
        {
            ["port"] = 80,
            ["targetPort"] = 8080,
            ["gatewayRefs"] = new JsonArray(new JsonObject { ["name"] = "public-gateway", ["namespace"] = "gateway-system" }),
        },
        ["analysis"] = new JsonObject
        {
            ["interval"] = interval, ["threshold"] = 3, ["maxWeight"] = 50, ["stepWeight"] = 10,
            ["metrics"] = new JsonArray(new JsonObject { ["name"] = "request-success-rate", ["thresholdRange"] = new JsonObject { ["min"] = 99 }, ["interval"] = window }),
        },
    });

    private static JsonObject TargetRef(string name) => new() { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name };

    private static JsonObject CanaryOf(App app, JsonObject spec) => new()
    {
        ["apiVersion"] = "canary.dev/v1beta1",
        ["kind"] = "Canary",
        ["metadata"] = new JsonObject { ["name"] = app.Name, ["namespace"] = app.Namespace },
        ["spec"] = spec,
    };
}
