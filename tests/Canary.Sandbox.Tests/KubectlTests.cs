using System.Text.Json.Nodes;

namespace Canary.Sandbox.Tests;

/// <summary>The real kubectl binary against the sandbox: every command a user would run in a demo.</summary>
public sealed class KubectlTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private Kubectl K => fx.Kubectl;

    private static string Manifest(string ns, string group) => $$"""
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
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: app
                image: nginx:1.25
                env:
                - {name: A, value: "1"}
              - name: sidecar
                image: busybox:1
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: {{ns}}
          labels: {app: web}
        spec:
          selector: {app: web}
          ports:
          - port: 80
            targetPort: 8080
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          namespace: {{ns}}
          labels: {tier: backend}
        data: {k: v}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.{{group}}
        spec:
          group: {{group}}
          names: {plural: widgets, singular: widget, kind: Widget}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            subresources:
              status: {}
            additionalPrinterColumns:
            - {name: Size, type: string, jsonPath: .spec.size}
        ---
        apiVersion: {{group}}/v1
        kind: Widget
        metadata:
          name: w1
          namespace: {{ns}}
        spec: {size: large}
        """;

    private async Task<string> CreateAllAsync(string prefix)
    {
        var ns = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        await WarmDiscoveryCacheAsync();
        await K.OkAsync("create -f -", Manifest(ns, $"{ns}.example.com"));
        return ns;
    }

    // kubectl re-discovers a kind it cannot map only when its discovery came from the disk cache (not fetched in this run),
    // so a CRD and its custom resource in one `create -f` need a warm cache, exactly as against a real cluster.
    private Task<string> WarmDiscoveryCacheAsync() => K.OkAsync("api-versions");

    private async Task<JsonObject> GetJsonAsync(string args) => (JsonObject)JsonNode.Parse(await K.OkAsync(args + " -o json"))!;

    [Fact]
    public async Task Create_from_multi_document_yaml_creates_every_object_including_the_custom_resource()
    {
        var ns = $"multi-{Guid.NewGuid().ToString("N")[..6]}";
        await WarmDiscoveryCacheAsync();
        var output = await K.OkAsync("create -f -", Manifest(ns, $"{ns}.example.com"));

        Assert.Contains($"namespace/{ns} created", output, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/web created", output, StringComparison.Ordinal);
        Assert.Contains("service/web created", output, StringComparison.Ordinal);
        Assert.Contains("configmap/settings created", output, StringComparison.Ordinal);
        Assert.Contains($"customresourcedefinition.apiextensions.k8s.io/widgets.{ns}.example.com created", output, StringComparison.Ordinal);
        Assert.Contains($"widget.{ns}.example.com/w1 created", output, StringComparison.Ordinal);

        var widget = await GetJsonAsync($"get widgets.{ns}.example.com w1 -n {ns}");
        Assert.Equal("large", widget["spec"]!["size"]!.GetValue<string>());
        var again = await K.RunAsync("create -f -", Manifest(ns, $"{ns}.example.com"));
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("AlreadyExists", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_prints_tables_json_yaml_and_filters_by_label()
    {
        var ns = await CreateAllAsync("get");

        var table = await K.OkAsync($"get deploy,svc,cm -n {ns}");
        Assert.Matches(@"deployment\.apps/web\s+0/2\s+0\s+0\s+\d+s", table);
        Assert.Matches(@"service/web\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80/TCP", table);
        Assert.Matches(@"configmap/settings\s+1\s+\d+s", table);
        var crTable = await K.OkAsync($"get widgets.{ns}.example.com -n {ns}");
        Assert.Matches(@"NAME\s+SIZE", crTable);
        Assert.Matches(@"w1\s+large", crTable);

        var json = await GetJsonAsync($"get deploy web -n {ns}");
        Assert.Equal(2, json["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, json["metadata"]!["generation"]!.GetValue<int>());
        var yaml = await K.OkAsync($"get cm settings -n {ns} -o yaml");
        Assert.Contains("kind: ConfigMap", yaml, StringComparison.Ordinal);
        Assert.Contains("  k: v", yaml, StringComparison.Ordinal);
        Assert.Contains("uid: ", yaml, StringComparison.Ordinal);

        var byLabel = await K.OkAsync($"get svc,cm,deploy -n {ns} -l app=web -o name");
        Assert.Equal(["deployment.apps/web", "service/web"], byLabel.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        var none = await K.RunAsync($"get cm -n {ns} -l tier=frontend");
        Assert.Contains($"No resources found in {ns} namespace.", none.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_merge_json_and_strategic()
    {
        var ns = await CreateAllAsync("patch");

        await K.OkAsync($"patch deploy web -n {ns} --type strategic -p '{{\"spec\":{{\"template\":{{\"spec\":{{\"containers\":[{{\"name\":\"app\",\"env\":[{{\"name\":\"B\",\"value\":\"2\"}}]}}]}}}}}}}}'");
        var d = await GetJsonAsync($"get deploy web -n {ns}");
        var containers = d["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["app", "sidecar"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(["A", "B"], containers[0]!["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        Assert.Equal("busybox:1", containers[1]!["image"]!.GetValue<string>());
        Assert.Equal(2, d["metadata"]!["generation"]!.GetValue<int>());

        await K.OkAsync($"patch cm settings -n {ns} --type merge -p '{{\"data\":{{\"k\":null,\"n\":\"1\"}}}}'");
        await K.OkAsync($"patch cm settings -n {ns} --type json -p '[{{\"op\":\"add\",\"path\":\"/data/j\",\"value\":\"2\"}}]'");
        var cm = await GetJsonAsync($"get cm settings -n {ns}");
        Assert.Equal(["j=2", "n=1"], cm["data"]!.AsObject().Select(p => $"{p.Key}={p.Value}").Order());

        var smpOnCr = await K.RunAsync($"patch widgets.{ns}.example.com w1 -n {ns} --type strategic -p '{{\"spec\":{{\"size\":\"small\"}}}}'");
        Assert.NotEqual(0, smpOnCr.ExitCode);
        Assert.Contains("application/strategic-merge-patch+json is not supported by", smpOnCr.Stderr, StringComparison.Ordinal);
        Assert.Contains("the body of the request was in an unknown format", smpOnCr.Stderr, StringComparison.Ordinal);
        await K.OkAsync($"patch widgets.{ns}.example.com w1 -n {ns} --type merge -p '{{\"spec\":{{\"size\":\"small\"}}}}'");
        Assert.Equal("small", (await GetJsonAsync($"get widgets.{ns}.example.com w1 -n {ns}"))["spec"]!["size"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_creates_then_updates_with_last_applied_configuration()
    {
        var ns = $"apply-{Guid.NewGuid().ToString("N")[..6]}";
        var manifest = Manifest(ns, $"{ns}.example.com");

        // apply maps and validates every document before creating any, so (as on a real cluster) the CRD must exist first.
        var withoutCustomResource = manifest[..manifest.LastIndexOf("---", StringComparison.Ordinal)];
        var first = await K.OkAsync("apply -f -", withoutCustomResource);
        Assert.Contains("deployment.apps/web created", first, StringComparison.Ordinal);
        Assert.Contains($"widget.{ns}.example.com/w1 created", await K.OkAsync("apply -f -", manifest), StringComparison.Ordinal);

        var changed = manifest.Replace("busybox:1", "busybox:2", StringComparison.Ordinal).Replace("size: large", "size: medium", StringComparison.Ordinal);
        var second = await K.OkAsync("apply -f -", changed);
        Assert.Contains("deployment.apps/web configured", second, StringComparison.Ordinal);
        Assert.Contains("configmap/settings unchanged", second, StringComparison.Ordinal);
        Assert.Contains($"widget.{ns}.example.com/w1 configured", second, StringComparison.Ordinal);

        var d = await GetJsonAsync($"get deploy web -n {ns}");
        Assert.Equal("busybox:2", d["spec"]!["template"]!["spec"]!["containers"]![1]!["image"]!.GetValue<string>());
        Assert.Equal(2, d["metadata"]!["generation"]!.GetValue<int>());
        Assert.Contains("busybox:2", d["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("medium", (await GetJsonAsync($"get widgets.{ns}.example.com w1 -n {ns}"))["spec"]!["size"]!.GetValue<string>());

        var third = await K.OkAsync("apply -f -", changed);
        Assert.DoesNotContain("configured", third, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scale_sets_replicas_and_bumps_generation()
    {
        var ns = await CreateAllAsync("scale");
        var output = await K.OkAsync($"scale deploy web -n {ns} --replicas=3");
        Assert.Contains("deployment.apps/web scaled", output, StringComparison.Ordinal);

        var d = await GetJsonAsync($"get deploy web -n {ns}");
        Assert.Equal(3, d["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, d["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task Delete_without_and_with_finalizers()
    {
        var ns = await CreateAllAsync("delete");
        Assert.Contains("configmap \"settings\" deleted", await K.OkAsync($"delete cm settings -n {ns}"), StringComparison.Ordinal);
        var gone = await K.RunAsync($"get cm settings -n {ns}");
        Assert.Contains("NotFound", gone.Stderr, StringComparison.Ordinal);

        await K.OkAsync("create -f -", $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: held, namespace: {{ns}}, finalizers: [example.com/hold]}
            """);
        await K.OkAsync($"delete cm held -n {ns} --wait=false");
        var held = await GetJsonAsync($"get cm held -n {ns}");
        Assert.NotNull(held["metadata"]!["deletionTimestamp"]);

        await K.OkAsync($"patch cm held -n {ns} --type json -p '[{{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}}]'");
        Assert.Contains("NotFound", (await K.RunAsync($"get cm held -n {ns}")).Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_waits_for_finalizers_and_returns_once_they_are_removed()
    {
        var ns = await CreateAllAsync("wait");
        await K.OkAsync($"patch cm settings -n {ns} --type merge -p '{{\"metadata\":{{\"finalizers\":[\"example.com/hold\"]}}}}'");
        var deleting = K.RunAsync($"delete cm settings -n {ns} --timeout=20s");
        await Task.Delay(1500);
        Assert.False(deleting.IsCompleted, "kubectl delete should wait for the finalizer");
        await K.OkAsync($"patch cm settings -n {ns} --type merge -p '{{\"metadata\":{{\"finalizers\":null}}}}'");
        var result = await deleting;
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Get_watch_prints_changes_made_after_it_started()
    {
        var ns = await CreateAllAsync("watch");
        using var watch = K.Start($"get cm -n {ns} --watch --output-watch-events");
        try
        {
            var lines = new List<string>();
            var reader = watch.StandardOutput;
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (!lines.Any(l => l.Contains("settings", StringComparison.Ordinal)))
            {
                lines.Add(await reader.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("kubectl exited: " + await watch.StandardError.ReadToEndAsync()));
            }

            await K.OkAsync($"create -f -", $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: after-start, namespace: {ns}}}\n");
            await K.OkAsync($"patch cm settings -n {ns} --type merge -p '{{\"data\":{{\"x\":\"y\"}}}}'");
            while (!lines.Any(l => l.Contains("MODIFIED", StringComparison.Ordinal)))
            {
                lines.Add(await reader.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("kubectl exited"));
            }

            Assert.Contains(lines, l => l.Contains("ADDED", StringComparison.Ordinal) && l.Contains("after-start", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("MODIFIED", StringComparison.Ordinal) && l.Contains("settings", StringComparison.Ordinal) && l.Contains(" 2 ", StringComparison.Ordinal));
        }
        finally
        {
            watch.Kill();
            await watch.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Api_resources_lists_builtins_and_crds()
    {
        var ns = await CreateAllAsync("disc");
        var output = await K.OkAsync("api-resources");
        Assert.Matches(@"deployments\s+deploy\s+apps/v1\s+true\s+Deployment", output);
        Assert.Matches(@"horizontalpodautoscalers\s+hpa\s+autoscaling/v2\s+true\s+HorizontalPodAutoscaler", output);
        Assert.Matches($@"widgets\s+{ns}\.example\.com/v1\s+true\s+Widget", output);
        Assert.Contains("v1.32.0", await K.OkAsync("version"), StringComparison.Ordinal);
    }
}
