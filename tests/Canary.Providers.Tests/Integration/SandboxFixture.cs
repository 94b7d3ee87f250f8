using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer;
using k8s;
using k8s.Models;

namespace Canary.Providers.Tests.Integration;

/// <summary>
/// One emulated API server for the integration tests, with minimal CRDs for the routing objects (schemas preserve
/// unknown fields: these tests check what the routers write, not the upstream validation).
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private SandboxApiServer? _server;
    private int _namespaces;

    public SandboxApiServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync();
        using var kube = _server.CreateClient();
        await RegisterCrdAsync(kube, "gateway.networking.k8s.io", "httproutes", "HTTPRoute", ["v1", "v1beta1"]);
        await RegisterCrdAsync(kube, "networking.istio.io", "virtualservices", "VirtualService", ["v1beta1"]);
        await RegisterCrdAsync(kube, "networking.istio.io", "destinationrules", "DestinationRule", ["v1beta1"]);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A fresh namespace per test, so tests do not see each other's objects.</summary>
    public async Task<string> NewNamespaceAsync(IKubernetes kube)
    {
        var name = $"t{Interlocked.Increment(ref _namespaces)}";
        await kube.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    private static async Task RegisterCrdAsync(IKubernetes kube, string group, string plural, string kind, string[] versions)
    {
        var crd = new JsonObject
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
                    ["schema"] = new JsonObject
                    {
                        ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                    },
                })]),
            },
        };
        await kube.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(crd.ToJsonString()));
    }
}

[CollectionDefinition(Name)]
public sealed class SandboxTests : ICollectionFixture<SandboxFixture>
{
    public const string Name = "sandbox";
}
