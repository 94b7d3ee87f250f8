using System.Text.Json.Nodes;
using Canary.Api.Serialization;
using Canary.Api.V1Beta1;
using Canary.Sandbox.ApiServer;
using k8s;
using k8s.Models;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Cli.Tests.Support;

/// <summary>
/// A sandbox API server with the canary.dev CRDs installed as shipped (manifests/crds, through the API as kubectl
/// apply would), a kubeconfig per namespace for the CLI, and the writes the controller would make (Canary status,
/// Events, request answers) for the tests to play its part. One per test class.
/// </summary>
public class LiveCluster : IAsyncLifetime
{
    private static int _counter;

    public SandboxApiServer Server { get; private set; } = null!;

    /// <summary>The admin's client.</summary>
    public IKubernetes Client { get; private set; } = null!;

    public string WorkDir { get; } = Directory.CreateTempSubdirectory("cli-live-").FullName;

    protected virtual SandboxApiServerOptions Options => new();

    /// <summary>False for a cluster where canary.dev was never installed.</summary>
    protected virtual bool InstallCrds => true;

    public async Task InitializeAsync()
    {
        Server = await SandboxApiServer.StartAsync(Options);
        Client = Server.CreateClient();
        var files = InstallCrds ? Directory.GetFiles(Path.Combine(RepositoryRoot(), "manifests", "crds"), "*.canary.dev.yaml") : [];
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(WorkDir, recursive: true);
    }

    /// <summary>A fresh namespace, so tests never see each other's objects.</summary>
    public async Task<string> NewNamespaceAsync(string prefix = "t")
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}";
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    /// <summary>A kubeconfig whose context's namespace is <paramref name="ns"/> (as <paramref name="token"/>, the admin by default).</summary>
    public string Kubeconfig(string ns, string? token = null)
    {
        var path = Path.Combine(WorkDir, $"kubeconfig-{ns}-{Guid.NewGuid():N}");
        return token is null ? Server.WriteKubeconfig(path, ns) : Server.WriteKubeconfig(path, ns, token);
    }

    /// <summary>The environment of a CLI run against this server, in <paramref name="ns"/> by its kubeconfig.</summary>
    public Dictionary<string, string> Env(string ns, string? token = null) => new() { ["KUBECONFIG"] = Kubeconfig(ns, token) };

    /// <summary>A podinfo-like Canary: 10% steps to 50%, rollback after 5 failed checks, two built-in metrics.</summary>
    public static CanaryResource Podinfo(string name = "podinfo") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new CanarySpec
        {
            Provider = "gatewayapi:v1",
            TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = name },
            Service = new CanaryService { Port = 9898 },
            Analysis = new CanaryAnalysis
            {
                Interval = "1m",
                Threshold = 5,
                MaxWeight = 50,
                StepWeight = 10,
                Metrics =
                [
                    new CanaryMetric { Name = BuiltInMetrics.RequestSuccessRate, Interval = "1m", ThresholdRange = new CanaryThresholdRange { Min = 99 } },
                    new CanaryMetric { Name = BuiltInMetrics.RequestDuration, Interval = "1m", ThresholdRange = new CanaryThresholdRange { Max = 500 } },
                ],
            },
        },
    };

    public async Task<CanaryResource> CreateCanaryAsync(string ns, CanaryResource canary, CanaryStatus? status = null)
    {
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync<CanaryResource>(
            canary, CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName);
        return status is null ? created : await SetStatusAsync(ns, created.Metadata.Name, status);
    }

    /// <summary>Replaces the Canary's status through its status subresource, as the controller writes it.</summary>
    public Task<CanaryResource> SetStatusAsync(string ns, string name, CanaryStatus status) =>
        Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<CanaryResource>(
            new V1Patch(Replace(status), V1Patch.PatchType.JsonPatch),
            CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName, name);

    /// <summary>A core/v1 Event on the Canary, as the controller records it (reason Synced).</summary>
    public Task<Corev1Event> EventAsync(CanaryResource canary, string message, string type = "Normal", DateTime? time = null)
    {
        var at = time ?? DateTime.UtcNow;
        var ns = canary.Metadata.NamespaceProperty;
        return Client.CoreV1.CreateNamespacedEventAsync(
            new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = $"{canary.Metadata.Name}.{Guid.NewGuid():N}", NamespaceProperty = ns },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = CanaryApi.ApiVersion, Kind = "Canary", Name = canary.Metadata.Name, NamespaceProperty = ns, Uid = canary.Metadata.Uid,
                },
                Reason = "Synced",
                Message = message,
                Type = type,
                Source = new V1EventSource { Component = "canary" },
                FirstTimestamp = at,
                LastTimestamp = at,
                Count = 1,
            },
            ns);
    }

    /// <summary>A Deployment running <paramref name="image"/>.</summary>
    public Task<V1Deployment> DeploymentAsync(string ns, string name, string image) => Client.AppsV1.CreateNamespacedDeploymentAsync(
        new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = image }] },
                },
            },
        },
        ns);

    /// <summary>The CanaryRequests of <paramref name="ns"/>.</summary>
    public async Task<IList<CanaryRequest>> RequestsAsync(string ns) =>
        (await Client.CustomObjects.ListNamespacedCustomObjectAsync<CanaryRequestList>(CanaryApi.Group, CanaryApi.Version, ns, CanaryRequest.KubePluralName)).Items;

    /// <summary>
    /// Waits, through a watch from <paramref name="resourceVersion"/>, for the first CanaryRequest created in
    /// <paramref name="ns"/> (the one the CLI under test makes).
    /// </summary>
    public async Task<CanaryRequest> NextRequestAsync(string ns, string resourceVersion, TimeSpan? timeout = null)
    {
        using var stop = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
#pragma warning disable CS0618 // typed CRD watch with resourceVersion has no non-obsolete equivalent
                var watch = Client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<CanaryRequestList>(
                        CanaryApi.Group, CanaryApi.Version, ns, CanaryRequest.KubePluralName, resourceVersion: resourceVersion, watch: true, cancellationToken: stop.Token)
                    .WatchAsync<CanaryRequest, CanaryRequestList>(onError: e => throw e, cancellationToken: stop.Token);
#pragma warning restore CS0618
                await foreach (var (type, request) in watch)
                {
                    if (type == WatchEventType.Added)
                    {
                        return request;
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !stop.IsCancellationRequested)
            {
                // A watch cut by the server's fault injection: nothing was seen yet, so watch again from the same version.
            }
        }
    }

    /// <summary>The resourceVersion of the CanaryRequest list of <paramref name="ns"/> now: watch from it to see what comes next.</summary>
    public async Task<string> RequestsVersionAsync(string ns) =>
        (await Client.CustomObjects.ListNamespacedCustomObjectAsync<CanaryRequestList>(CanaryApi.Group, CanaryApi.Version, ns, CanaryRequest.KubePluralName)).Metadata.ResourceVersion;

    /// <summary>Answers a request as the controller does: its status result and message.</summary>
    public Task<CanaryRequest> AnswerAsync(CanaryRequest request, string result, string message, string canaryPhase = "Progressing") =>
        Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<CanaryRequest>(
            new V1Patch(
                new JsonObject
                {
                    ["status"] = new JsonObject
                    {
                        ["result"] = result, ["message"] = message, ["canaryPhase"] = canaryPhase,
                        ["handledTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                    },
                }.ToJsonString(),
                V1Patch.PatchType.MergePatch),
            CanaryApi.Group, CanaryApi.Version, request.Metadata.NamespaceProperty, CanaryRequest.KubePluralName, request.Metadata.Name);

    /// <summary>The folder holding Canary.sln, found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Canary.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Canary.sln not found above the test folder");
    }

    // A JSON patch replacing the whole status ("add" replaces an existing member), so fields left out are gone.
    private static string Replace(CanaryStatus status) => new JsonArray(new JsonObject
    {
        ["op"] = "add",
        ["path"] = "/status",
        ["value"] = System.Text.Json.JsonSerializer.SerializeToNode(status, CanaryJson.Options),
    }).ToJsonString();
}
