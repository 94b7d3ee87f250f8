using System.Globalization;
using k8s;
using k8s.Models;

namespace Canary.Sandbox.Tests;

/// <summary>The real kubectl reading events: describe lists an object's events, get events filters by field and prints a real cluster's columns.</summary>
public sealed class KubectlEventsTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private Kubectl K => fx.Kubectl;

    private static string Objects(string ns, string group) => $$"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {{ns}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: {{ns}}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - {name: app, image: nginx:1.25}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: canaries.{{group}}
        spec:
          group: {{group}}
          names: {plural: canaries, singular: canary, kind: Canary}
          scope: Namespaced
          versions:
          - name: v1beta1
            served: true
            storage: true
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        ---
        apiVersion: {{group}}/v1beta1
        kind: Canary
        metadata:
          name: web
          namespace: {{ns}}
        spec:
          targetRef: {kind: Deployment, name: web}
        """;

    private static string Event(string ns, string name, string apiVersion, string kind, string uid, string type, string reason, string message) => $$"""
        apiVersion: v1
        kind: Event
        metadata:
          name: {{name}}
          namespace: {{ns}}
        involvedObject:
          apiVersion: {{apiVersion}}
          kind: {{kind}}
          name: web
          namespace: {{ns}}
          uid: {{uid}}
        type: {{type}}
        reason: {{reason}}
        message: {{message}}
        source: {component: {{(kind == "Deployment" ? "deployment-controller" : "canary")}}}
        firstTimestamp: "{{DateTime.UtcNow.AddSeconds(-30).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}"
        lastTimestamp: "{{DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}"
        count: 1
        """;

    // A Deployment and a Canary custom resource (same name, so only kind tells their events apart), one event each.
    private async Task<(string Ns, string Group)> CreateObjectsWithEventsAsync()
    {
        var ns = $"kev-{Guid.NewGuid().ToString("N")[..6]}";
        var group = $"{ns}.example.com";

        // A CRD and its custom resource in one `create -f` need a warm discovery cache, as against a real cluster.
        await K.OkAsync("api-versions");
        await K.OkAsync("create -f -", Objects(ns, group));
        var deployUid = await K.OkAsync($"get deploy web -n {ns} -o jsonpath={{.metadata.uid}}");
        var canaryUid = await K.OkAsync($"get canaries.{group} web -n {ns} -o jsonpath={{.metadata.uid}}");
        await K.OkAsync("create -f -", Event(ns, "web.scaled", "apps/v1", "Deployment", deployUid, "Normal", "ScalingReplicaSet", "Scaled up replica set web-5d4f to 1"));
        await K.OkAsync("create -f -", Event(ns, "web.synced", $"{group}/v1beta1", "Canary", canaryUid, "Warning", "Synced", "Halt advancement no values found for metric"));
        return (ns, group);
    }

    [Fact]
    public async Task Describe_lists_the_events_of_exactly_that_object()
    {
        var (ns, group) = await CreateObjectsWithEventsAsync();

        var deployment = await K.OkAsync($"describe deployment web -n {ns}");
        Assert.Matches(@"Events:\s+Type\s+Reason\s+Age\s+From\s+Message", deployment);
        Assert.Matches(@"Normal\s+ScalingReplicaSet\s+\d+s\s+deployment-controller\s+Scaled up replica set web-5d4f to 1", deployment);
        Assert.DoesNotContain("Halt advancement", deployment, StringComparison.Ordinal);

        var canary = await K.OkAsync($"describe canaries.{group} web -n {ns}");
        Assert.Matches(@"Warning\s+Synced\s+\d+s\s+canary\s+Halt advancement no values found for metric", canary);
        Assert.DoesNotContain("ScalingReplicaSet", canary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_events_filters_by_field_selector_and_prints_a_real_clusters_columns()
    {
        var (ns, _) = await CreateObjectsWithEventsAsync();

        var all = await K.OkAsync($"get events -n {ns}");
        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n", all);
        Assert.Matches(@"\n\d+s\s+Normal\s+ScalingReplicaSet\s+deployment/web\s+Scaled up replica set web-5d4f to 1\n", all);
        Assert.Matches(@"\n\d+s\s+Warning\s+Synced\s+canary/web\s+Halt advancement no values found for metric\n", all);

        var deployments = await K.OkAsync($"get events -n {ns} --field-selector involvedObject.kind=Deployment");
        Assert.Single(deployments.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("ScalingReplicaSet", StringComparison.Ordinal));
        Assert.Equal(2, deployments.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("canary/web", deployments, StringComparison.Ordinal);

        var notDeployments = await K.OkAsync($"get events -n {ns} --field-selector involvedObject.kind!=Deployment,type=Warning -o name");
        Assert.Equal("event/web.synced", notDeployments.Trim());

        var wide = await K.OkAsync($"get events -n {ns} -o wide --field-selector reason=Synced");
        Assert.Matches(@"LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME", wide);
        Assert.Matches(@"Warning\s+Synced\s+canary/web\s+canary\s+Halt advancement no values found for metric\s+\d+s\s+1\s+web\.synced", wide);

        var unsupported = await K.RunAsync($"get events -n {ns} --field-selector involvedObject.color=blue");
        Assert.NotEqual(0, unsupported.ExitCode);
        Assert.Contains("field label not supported: involvedObject.color", unsupported.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_pods_wide_shows_ip_and_node()
    {
        var ns = await fx.NewNamespaceAsync("kpod");
        await fx.Client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "web-1" },
                Spec = new V1PodSpec { NodeName = "sandbox-node-2", Containers = [new V1Container { Name = "app", Image = "nginx" }] },
            },
            ns);

        // What the workload simulator's kubelet writes once the pod starts.
        await fx.Client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch("{\"status\":{\"phase\":\"Running\",\"podIP\":\"10.244.2.7\",\"podIPs\":[{\"ip\":\"10.244.2.7\"}]}}", V1Patch.PatchType.MergePatch), "web-1", ns);

        var wide = await K.OkAsync($"get pods -n {ns} -o wide");
        Assert.Matches(@"NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES", wide);
        Assert.Matches(@"web-1\s+0/1\s+Running\s+0\s+\d+s\s+10\.244\.2\.7\s+sandbox-node-2\s+<none>\s+<none>", wide);
        Assert.DoesNotContain("10.244.2.7", await K.OkAsync($"get pods -n {ns}"), StringComparison.Ordinal);

        var onNode = await K.OkAsync($"get pods -n {ns} --field-selector spec.nodeName=sandbox-node-2,status.phase=Running -o name");
        Assert.Equal("pod/web-1", onNode.Trim());
    }
}
