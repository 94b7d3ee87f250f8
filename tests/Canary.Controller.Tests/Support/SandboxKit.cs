using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Resources;

namespace Canary.Controller.Tests.Support;

/// <summary>Helpers to seed the emulated API server directly through its store (no HTTP, so no faults or counts).</summary>
internal static class SandboxKit
{
    public static readonly GroupVersionResource Canaries = new("canary.dev", "v1beta1", "canaries");

    public static async Task<SandboxApiServer> StartAsync(bool withCrds = true, int? faultSeed = null)
    {
        var server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { BookmarkInterval = TimeSpan.FromSeconds(1), HistorySize = 100_000, FaultSeed = faultSeed });
        if (withCrds)
        {
            foreach (var (plural, kind) in new[] { ("canaries", "Canary"), ("canaryrequests", "CanaryRequest"), ("metrictemplates", "MetricTemplate"), ("alertproviders", "AlertProvider") })
            {
                server.Store.Create(BuiltInResources.CustomResourceDefinitions, null, Crd(plural, kind));
            }
        }

        return server;
    }

    public static JsonObject Crd(string plural, string kind, string group = "canary.dev", string version = "v1beta1") => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"{plural}.{group}" },
        ["spec"] = new JsonObject
        {
            ["group"] = group,
            ["scope"] = "Namespaced",
            ["names"] = new JsonObject { ["plural"] = plural, ["singular"] = kind.ToLowerInvariant(), ["kind"] = kind, ["listKind"] = kind + "List" },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = version,
                ["served"] = true,
                ["storage"] = true,
                ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                ["schema"] = new JsonObject { ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
            }),
        },
    };

    public static JsonObject Deployment(string ns, string name, string image = "app:1", string? configMap = null)
    {
        var container = new JsonObject { ["name"] = "app", ["image"] = image };
        if (configMap is not null)
        {
            container["envFrom"] = new JsonArray(new JsonObject { ["configMapRef"] = new JsonObject { ["name"] = configMap } });
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) },
                },
            },
        };
    }

    public static JsonObject Canary(string ns, string name, string target) => new()
    {
        ["apiVersion"] = "canary.dev/v1beta1",
        ["kind"] = "Canary",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["targetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = target },
            ["service"] = new JsonObject { ["port"] = 80 },
            ["analysis"] = new JsonObject { ["interval"] = "1m", ["threshold"] = 5, ["maxWeight"] = 50, ["stepWeight"] = 10 },
        },
    };

    public static JsonObject ConfigMap(string ns, string name, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["value"] = value },
    };

    /// <summary>Seeds <paramref name="count"/> Deployments with one Canary each (names app-0000...).</summary>
    public static void SeedCanaries(SandboxApiServer server, int count, string ns = "default")
    {
        for (var i = 0; i < count; i++)
        {
            var name = $"app-{i:D5}";
            server.Store.Create(BuiltInResources.Deployments, ns, Deployment(ns, name));
            server.Store.Create(Canaries, ns, Canary(ns, name, name));
        }
    }

    /// <summary>Changes the pod template image of a Deployment (a new revision).</summary>
    public static void Touch(SandboxApiServer server, string ns, string name, string image)
    {
        var current = server.Store.Get(BuiltInResources.Deployments, ns, name);
        current["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
        server.Store.Update(BuiltInResources.Deployments, ns, current);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task EventuallyAsync(Func<bool> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Condition not met in time{(because is null ? string.Empty : ": " + because)}");
            }

            await Task.Delay(20);
        }
    }
}
