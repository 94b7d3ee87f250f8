using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Api.Serialization;
using Canary.Api.V1Beta1;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Traffic;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace Canary.E2E.Infrastructure;

/// <summary>
/// One scenario: the podinfo app in its own namespace of an <see cref="E2EEnvironment"/>, its simulated clients, a
/// <see cref="RolloutObserver"/> on its Canary and routing object, and the user's actions (create, edit the template or
/// ConfigMap, delete). On dispose it prints what was seen to the test output (shown when the test fails).
/// </summary>
public sealed class CanaryScenario : IAsyncDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly List<string> _loadTesters = [];
    private TrafficApp? _clients;

    private CanaryScenario(E2EEnvironment env, string ns, string provider, ITestOutputHelper output)
    {
        Env = env;
        Namespace = ns;
        Provider = provider;
        _output = output;
        // The kubernetes provider has no routing object: the apex Service's selector is the switch.
        Observer = RolloutObserver.Start(env.Store, ns, Podinfo.Name, provider == "kubernetes" ? null : RouteProbe.For(provider, Podinfo.Name, ns: ns));
    }

    public E2EEnvironment Env { get; }

    public string Namespace { get; }

    public string Provider { get; }

    public string Name { get; } = Podinfo.Name;

    public RolloutObserver Observer { get; }

    public IKubernetes Client => Env.Client;

    /// <summary>A new namespace in <paramref name="env"/> with an observer on podinfo's Canary and <paramref name="provider"/>'s route.</summary>
    public static async Task<CanaryScenario> StartAsync(E2EEnvironment env, string prefix, string provider, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(env);
        var ns = await env.NewNamespaceAsync(prefix);
        return new CanaryScenario(env, ns, provider, output);
    }

    /// <summary>Creates podinfo (and its ConfigMap) and starts clients calling it through the scenario's provider.</summary>
    public async Task CreateAppAsync(
        int replicas = 2,
        bool withConfig = false,
        IDictionary<string, string>? templateAnnotations = null,
        double requestsPerSecond = 100,
        IReadOnlyList<RequestSegment>? segments = null,
        string? trafficProvider = null)
    {
        if (withConfig)
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(Podinfo.ConfigMap(Namespace, "blue"), Namespace);
        }

        await Client.AppsV1.CreateNamespacedDeploymentAsync(Podinfo.Deployment(Namespace, replicas, withConfig, templateAnnotations), Namespace);
        _clients = Env.AddTraffic(Namespace, Name, trafficProvider ?? Provider, requestsPerSecond, segments);
    }

    /// <summary>
    /// Points every simulated client of <see cref="CreateAppAsync"/> at <paramref name="path"/>, as Flagger's e2e points its
    /// load test at podinfo's <c>/status/500</c> or <c>/delay/1</c> to fail a release through the provider's data plane.
    /// </summary>
    public void SetClientPath(string path)
    {
        _clients = (_clients ?? throw new InvalidOperationException("no clients: CreateAppAsync first")) with { Path = path };
        Env.Traffic.AddApp(_clients);
    }

    /// <summary>Creates podinfo as a Knative Service and clients calling it through Knative's ingress (the scenario's provider).</summary>
    public async Task CreateKnativeAppAsync(double requestsPerSecond = 100)
    {
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Podinfo.KnativeService(Namespace), Crds.KnativeServices.Group, Crds.KnativeServices.Version, Namespace, Crds.KnativeServices.Resource);
        _clients = Env.AddTraffic(Namespace, Name, Provider, requestsPerSecond);
    }

    /// <summary>A new revision of the Knative Service: its template gets <paramref name="image"/> and <paramref name="annotations"/> (merge patch, as kubectl).</summary>
    public async Task EditKnativeTemplateAsync(string image, IDictionary<string, string>? annotations = null)
    {
        var container = Podinfo.Deployment(Namespace).Spec.Template.Spec.Containers[0];
        var patch = JsonNode.Parse(TemplatePatch(container, image, annotations))!;
        if (annotations is not null)
        {
            patch["spec"]!["template"]!["metadata"]!["annotations"]!["autoscaling.knative.dev/min-scale"] = "2";
        }

        await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Crds.KnativeServices.Group, Crds.KnativeServices.Version, Namespace, Crds.KnativeServices.Resource, Name);
    }

    /// <summary>The Knative Service as stored now.</summary>
    public JsonObject KnativeService() => Env.TryGet(Crds.KnativeServices, Namespace, Name) ?? throw new InvalidOperationException("no Knative Service");

    /// <summary>
    /// Creates podinfo as a DaemonSet, clients calling it through the scenario's provider, and a load tester calling
    /// <c>podinfo-canary</c> directly (Flagger's blue/green pattern: the canary's only traffic during its iterations).
    /// </summary>
    public async Task CreateDaemonSetAppAsync(double requestsPerSecond = 100)
    {
        await Client.AppsV1.CreateNamespacedDaemonSetAsync(Podinfo.DaemonSet(Namespace), Namespace);
        Env.AddTraffic(Namespace, Name, Provider, requestsPerSecond);
        AddLoadTester(Name + "-canary", requestsPerSecond / 2);
    }

    /// <summary>
    /// A Service target: Deployments <c>podinfo-&lt;version&gt;</c> (label app=podinfo-&lt;version&gt;, pod-template
    /// annotations per version) and the Service <c>podinfo</c> selecting the first; clients call it through the provider.
    /// </summary>
    public async Task CreateServiceAppAsync(IReadOnlyDictionary<string, IDictionary<string, string>?> versions, double requestsPerSecond = 100)
    {
        ArgumentNullException.ThrowIfNull(versions);
        foreach (var (version, annotations) in versions)
        {
            var deployment = Podinfo.Deployment(Namespace, replicas: 1, templateAnnotations: annotations);
            var labels = new Dictionary<string, string> { ["app"] = $"{Name}-{version}" };
            deployment.Metadata.Name = $"{Name}-{version}";
            deployment.Metadata.Labels = labels;
            deployment.Spec.Selector.MatchLabels = labels;
            deployment.Spec.Template.Metadata.Labels = labels;
            await Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, Namespace);
        }

        await Client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = Name, Labels = new Dictionary<string, string> { ["app"] = Name } },
                Spec = new V1ServiceSpec
                {
                    Selector = new Dictionary<string, string> { ["app"] = $"{Name}-{versions.Keys.First()}" },
                    Ports = [new V1ServicePort { Name = "http", Port = Podinfo.Port, TargetPort = 9898, Protocol = "TCP" }],
                },
            },
            Namespace);
        Env.AddTraffic(Namespace, Name, Provider, requestsPerSecond);
    }

    /// <summary>A new revision of the Service target: it now selects the pods of <c>podinfo-&lt;version&gt;</c>.</summary>
    public async Task SelectVersionAsync(string version)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["app"] = $"{Name}-{version}" } } };
        await Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Name, Namespace);
    }

    /// <summary>The <c>app</c> label a Service selects.</summary>
    public async Task<string> SelectedAsync(string service) =>
        (await Client.CoreV1.ReadNamespacedServiceAsync(service, Namespace)).Spec.Selector["app"];

    /// <summary>Clients calling Service <paramref name="service"/> directly (the kubernetes data plane), removed on dispose.</summary>
    public void AddLoadTester(string service, double requestsPerSecond)
    {
        Env.AddTraffic(Namespace, service, "kubernetes", requestsPerSecond);
        _loadTesters.Add(service);
    }

    public async Task<V1DaemonSet> DaemonSetAsync(string name) => await Client.AppsV1.ReadNamespacedDaemonSetAsync(name, Namespace);

    /// <summary>A new revision of the DaemonSet target: image and/or pod-template annotations (merge patch, as kubectl).</summary>
    public async Task EditDaemonSetTemplateAsync(string? image = null, IDictionary<string, string>? annotations = null)
    {
        var container = (await DaemonSetAsync(Name)).Spec.Template.Spec.Containers[0];
        await Client.AppsV1.PatchNamespacedDaemonSetAsync(new V1Patch(TemplatePatch(container, image, annotations), V1Patch.PatchType.MergePatch), Name, Namespace);
    }

    /// <summary>Pods of the target itself (label app=podinfo), not the primary's.</summary>
    public async Task<int> TargetPodCountAsync() => (await Client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: "app=" + Name)).Items.Count;

    /// <summary>Creates the Canary (built by <see cref="Podinfo.Canary"/>, then <paramref name="customize"/>).</summary>
    public async Task CreateCanaryAsync(CanaryAnalysis analysis, Action<CanaryResource>? customize = null)
    {
        var canary = Podinfo.Canary(Namespace, Provider, analysis);
        customize?.Invoke(canary);
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(canary, CanaryApi.Group, CanaryApi.Version, Namespace, CanaryResource.KubePluralName);
    }

    public async Task CreateMetricTemplateAsync(MetricTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        template.Metadata.NamespaceProperty ??= Namespace;
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(template, CanaryApi.Group, CanaryApi.Version, Namespace, MetricTemplate.KubePluralName);
    }

    /// <summary>The Canary as stored now, or null when it is gone.</summary>
    public CanaryResource? Canary() =>
        Env.TryGet(Crds.Canaries, Namespace, Name)?.Deserialize<CanaryResource>(CanaryJson.Options);

    /// <summary>Waits until the Canary's status is in <paramref name="phase"/>.</summary>
    public async Task<CanaryResource> WaitForPhaseAsync(CanaryPhase phase, TimeSpan? timeout = null)
    {
        await WaitUntilAsync(c => c?.Status?.Phase == phase, $"Canary {Namespace}/{Name} in phase {phase}", timeout);
        return Canary()!;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the stored Canary (null when absent).</summary>
    public Task WaitUntilAsync(Func<CanaryResource?, bool> condition, string what, TimeSpan? timeout = null) =>
        Wait.UntilAsync(() => condition(Canary()), what, Diagnostics, timeout);

    /// <summary>Waits for any condition, failing with this scenario's diagnostics.</summary>
    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Wait.UntilAsync(condition, what, Diagnostics, timeout);

    public async Task<V1Deployment> DeploymentAsync(string name) => await Client.AppsV1.ReadNamespacedDeploymentAsync(name, Namespace);

    /// <summary>A new revision: the target's pod template gets <paramref name="image"/> and/or extra annotations (merge patch, as kubectl).</summary>
    public async Task EditTemplateAsync(string? image = null, IDictionary<string, string>? annotations = null)
    {
        var container = (await DeploymentAsync(Name)).Spec.Template.Spec.Containers[0];
        await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(TemplatePatch(container, image, annotations), V1Patch.PatchType.MergePatch), Name, Namespace);
    }

    private static string TemplatePatch(V1Container container, string? image, IDictionary<string, string>? annotations)
    {
        var template = new JsonObject();
        if (annotations is not null)
        {
            template["metadata"] = new JsonObject { ["annotations"] = new JsonObject([.. annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))]) };
        }

        if (image is not null)
        {
            // Merge patch replaces lists whole: resend the container as created, with the new image.
            container.Image = image;
            template["spec"] = new JsonObject { ["containers"] = new JsonArray(JsonNode.Parse(KubernetesJson.Serialize(container))) };
        }

        return new JsonObject { ["spec"] = new JsonObject { ["template"] = template } }.ToJsonString();
    }

    public async Task SetConfigAsync(string color)
    {
        var patch = new JsonObject { ["data"] = new JsonObject { ["PODINFO_UI_COLOR"] = color } };
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Podinfo.ConfigName, Namespace);
    }

    public async Task DeleteCanaryAsync() =>
        await Client.CustomObjects.DeleteNamespacedCustomObjectAsync(CanaryApi.Group, CanaryApi.Version, Namespace, CanaryResource.KubePluralName, Name);

    /// <summary>core/v1 Events about the Canary, oldest first.</summary>
    public async Task<IReadOnlyList<Corev1Event>> EventsAsync()
    {
        var events = await Client.CoreV1.ListNamespacedEventAsync(Namespace);
        return [.. events.Items
            .Where(e => e.InvolvedObject?.Kind == "Canary" && e.InvolvedObject.Name == Name)
            .OrderBy(e => e.FirstTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp ?? DateTime.MinValue)];
    }

    /// <summary>Messages of <see cref="EventsAsync"/>.</summary>
    public async Task<IReadOnlyList<string>> EventMessagesAsync() => [.. (await EventsAsync()).Select(e => e.Message ?? string.Empty)];

    /// <summary>Where each request segment goes now, as the simulated data plane sees it.</summary>
    public IReadOnlyList<SegmentRoute> Routing() => Env.Traffic.Preview(Namespace, Name);

    public TrafficStatistics Traffic() => Env.Traffic.Statistics(Namespace, Name);

    /// <summary>What was seen: status and route sequences, the Canary's events, webhook calls and the controller's recent lines.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        text.AppendLine($"--- scenario {Namespace} ({Provider})");
        text.Append(Observer.Describe());
        text.AppendLine("events:");
        foreach (var e in Env.Store.List(BuiltInResources.Events, Namespace).Items)
        {
            text.AppendLine($"  {(string?)e["type"]} {(string?)e["reason"]}: {(string?)e["message"]}");
        }

        text.AppendLine("webhook calls:");
        foreach (var call in Env.Webhooks.Calls(Namespace))
        {
            text.AppendLine($"  {call.At:HH:mm:ss.fff} {call.Hook} phase={call.Payload.Phase} answered {call.AnsweredStatus} {call.EventMessage}");
        }

        text.AppendLine("controller log (this namespace):");
        foreach (var line in Env.ControllerLogs.Lines(Namespace).TakeLast(60))
        {
            text.AppendLine("  " + line);
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Env.Traffic.RemoveApp(Namespace, Name);
        foreach (var service in _loadTesters)
        {
            Env.Traffic.RemoveApp(Namespace, service);
        }
        await Observer.DisposeAsync();
        _output.WriteLine(Diagnostics());
    }
}
