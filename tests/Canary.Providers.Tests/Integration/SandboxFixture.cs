using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Auth;
using k8s;
using k8s.Models;

namespace Canary.Providers.Tests.Integration;

/// <summary>
/// One emulated API server for the integration tests, with minimal CRDs for the routing objects (schemas preserve
/// unknown fields: these tests check what the routers write, not the upstream validation). RBAC is enforced: routers
/// run as the controller's ServiceAccount from manifests/rbac (<see cref="ControllerClient"/>), what a user does runs as
/// the admin (<see cref="Admin"/>).
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private SandboxApiServer? _server;
    private IKubernetes? _admin;
    private ServiceAccountIdentity? _controller;
    private int _namespaces;

    public SandboxApiServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>A client acting as the cluster admin: the user's own objects and edits.</summary>
    public IKubernetes Admin => _admin ?? throw new InvalidOperationException("not started");

    /// <summary>A client configuration acting as the controller's ServiceAccount.</summary>
    public KubernetesClientConfiguration ControllerConfiguration() =>
        Server.ClientConfiguration(_controller?.Token ?? throw new InvalidOperationException("not started"));

    /// <summary>A new client acting as the controller's ServiceAccount (dispose it).</summary>
    public IKubernetes ControllerClient() => new k8s.Kubernetes(ControllerConfiguration());

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { EnforceRbac = true });
        _admin = _server.CreateClient();
        _controller = ServiceAccountIdentity.InstallFromDirectory(_server, Path.Combine(AppContext.BaseDirectory, "rbac"));
        var kube = _admin;
        await RegisterCrdAsync(kube, "gateway.networking.k8s.io", "httproutes", "HTTPRoute", ["v1", "v1beta1"]);
        await RegisterCrdAsync(kube, "networking.istio.io", "virtualservices", "VirtualService", ["v1beta1"]);
        await RegisterCrdAsync(kube, "networking.istio.io", "destinationrules", "DestinationRule", ["v1beta1"]);
        await RegisterCrdAsync(kube, "split.smi-spec.io", "trafficsplits", "TrafficSplit", ["v1alpha1", "v1alpha2", "v1alpha3"]);
        await RegisterCrdAsync(kube, "projectcontour.io", "httpproxies", "HTTPProxy", ["v1"]);
        await RegisterCrdAsync(kube, "traefik.io", "traefikservices", "TraefikService", ["v1alpha1"]);
        await RegisterCrdAsync(kube, "kuma.io", "trafficroutes", "TrafficRoute", ["v1alpha1"], scope: "Cluster");
        await RegisterCrdAsync(kube, "gateway.solo.io", "routetables", "RouteTable", ["v1"]);
        await RegisterCrdAsync(kube, "gloo.solo.io", "upstreams", "Upstream", ["v1"]);
        await RegisterCrdAsync(kube, "apisix.apache.org", "apisixroutes", "ApisixRoute", ["v2"]);
        await RegisterCrdAsync(kube, "serving.knative.dev", "services", "Service", ["v1"]);
        await RegisterCrdAsync(kube, "serving.knative.dev", "revisions", "Revision", ["v1"]);
    }

    public async Task DisposeAsync()
    {
        _admin?.Dispose();
        if (_server is not null)
        {
            _server.Rbac.WriteReportIfRequested("providers");
            await _server.DisposeAsync();
        }
    }

    /// <summary>A fresh namespace per test, so tests do not see each other's objects.</summary>
    public async Task<string> NewNamespaceAsync()
    {
        var name = $"t{Interlocked.Increment(ref _namespaces)}";
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public static async Task RegisterCrdAsync(IKubernetes kube, string group, string plural, string kind, string[] versions, string scope = "Namespaced")
    {
        var crd = new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = $"{plural}.{group}" },
            ["spec"] = new JsonObject
            {
                ["group"] = group,
                ["scope"] = scope,
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
