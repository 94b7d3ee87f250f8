using System.Text.Json.Nodes;
using Canary.Controller.Tests.Support;
using Canary.Sandbox.ApiServer.Accounting;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Workloads;
using k8s;
using k8s.Models;

namespace Canary.Controller.Tests.Composition;

/// <summary>
/// A sandbox cluster (workload simulator on) with the real Canary CRDs, seeded and read through the store (no HTTP), so
/// the tests' own reads never show up in the API server's request counters.
/// </summary>
internal sealed class EngineSandbox : IAsyncDisposable
{
    private EngineSandbox(SandboxCluster cluster) => Cluster = cluster;

    public SandboxCluster Cluster { get; }

    public static async Task<EngineSandbox> StartAsync(string ns)
    {
        var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Workloads = new WorkloadSimulatorOptions { ReadyDelay = TimeSpan.FromMilliseconds(100) } });
        using var kube = cluster.CreateClient();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot(), "manifests", "crds"), "*.canary.dev.yaml"))
        {
            await kube.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file)));
        }

        await kube.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        return new EngineSandbox(cluster);
    }

    /// <summary>A blue/green Canary on the kubernetes provider (no metrics: every iteration passes).</summary>
    public static JsonObject Canary(string ns, string name, JsonObject? analysis = null) => new()
    {
        ["apiVersion"] = "canary.dev/v1beta1",
        ["kind"] = "Canary",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["provider"] = "kubernetes",
            ["targetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name },
            ["service"] = new JsonObject { ["port"] = 80 },
            ["analysis"] = analysis ?? new JsonObject { ["interval"] = "1s", ["threshold"] = 2, ["iterations"] = 2 },
        },
    };

    public void Create(GroupVersionResource gvr, string? ns, JsonObject obj) => Cluster.Store.Create(gvr, ns, obj);

    public JsonObject? Get(GroupVersionResource gvr, string ns, string name)
    {
        try
        {
            return Cluster.Store.Get(gvr, ns, name);
        }
        catch (Canary.Sandbox.ApiServer.ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    public string? Phase(string ns, string name) => Get(SandboxKit.Canaries, ns, name)?["status"]?["phase"]?.GetValue<string>();

    /// <summary>Events recorded on the Canary <paramref name="name"/>.</summary>
    public IReadOnlyList<JsonObject> Events(string ns, string name) =>
        [.. Cluster.Store.List(BuiltInResources.Events, ns).Items.Where(e => e["involvedObject"]?["name"]?.GetValue<string>() == name)];

    /// <summary>Request counters other than watches and leader-election leases.</summary>
    public Dictionary<RequestKey, long> Requests() =>
        Cluster.Server.Counters.Snapshot().Where(kv => kv.Key.Verb != "watch" && kv.Key.Resource != "leases").ToDictionary(kv => kv.Key, kv => kv.Value);

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Canary.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Canary.sln not found above the test folder");
    }
}
