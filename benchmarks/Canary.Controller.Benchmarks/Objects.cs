using System.Text.Json.Nodes;

namespace Canary.Controller.Benchmarks;

/// <summary>Minimal objects seeded into the emulated API server.</summary>
internal static class Objects
{
    public static JsonObject Crd(string plural, string kind) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"{plural}.canary.dev" },
        ["spec"] = new JsonObject
        {
            ["group"] = "canary.dev",
            ["scope"] = "Namespaced",
            ["names"] = new JsonObject { ["plural"] = plural, ["singular"] = kind.ToLowerInvariant(), ["kind"] = kind, ["listKind"] = kind + "List" },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = "v1beta1",
                ["served"] = true,
                ["storage"] = true,
                ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                ["schema"] = new JsonObject { ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
            }),
        },
    };

    public static JsonObject Deployment(string name) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["app"] = name } },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 2,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app:1", ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080 }) }) },
            },
        },
    };

    public static JsonObject Canary(string name) => new()
    {
        ["apiVersion"] = "canary.dev/v1beta1",
        ["kind"] = "Canary",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["targetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name },
            ["service"] = new JsonObject { ["port"] = 80, ["targetPort"] = 8080 },
            ["analysis"] = new JsonObject
            {
                ["interval"] = "1m", ["threshold"] = 5, ["maxWeight"] = 50, ["stepWeight"] = 10,
                ["metrics"] = new JsonArray(new JsonObject { ["name"] = "request-success-rate", ["thresholdRange"] = new JsonObject { ["min"] = 99 }, ["interval"] = "1m" }),
            },
        },
    };
}
