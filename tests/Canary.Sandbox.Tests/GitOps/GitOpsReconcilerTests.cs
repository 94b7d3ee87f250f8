using System.Diagnostics;
using System.Globalization;
using System.Net;
using Canary.Sandbox.GitOps;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Sandbox.Tests.GitOps;

/// <summary>The Flux-like reconciler against the real emulated API server: apply, drift, annotations, prune, failures, CLI.</summary>
public sealed class GitOpsReconcilerTests(SandboxFixture fx) : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gitops-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string UniqueNamespace(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private GitOpsReconciler Reconciler(string name, IKubernetes? client = null, List<GitOpsEvent>? events = null) =>
        new(client ?? fx.Client, new GitOpsReconcilerOptions
        {
            Directory = _dir,
            Name = name,
            Namespace = "flux-" + name,
            OnEvent = events is null ? null : events.Add,
        });

    private void Write(string file, string yaml) => File.WriteAllText(Path.Combine(_dir, file), yaml);

    private static string App(string ns) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: {{ns}}
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
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: {{ns}}
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
        data: {mode: "blue"}
        """;

    // The Namespace is in a later file than the objects in it: ordering, not file order, must create it first.
    private void WriteApp(string ns)
    {
        Write("app.yaml", App(ns));
        Write("z-namespace.yml", $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n");
    }

    private static string ConfigMap(string ns, string name, string value, string? annotation = null) => $$"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{name}}
          namespace: {{ns}}
        {{(annotation is null ? string.Empty : "  annotations: {" + annotation + "}")}}
        data: {value: "{{value}}"}
        """;

    [Fact]
    public async Task Applies_a_directory_with_owner_labels_and_namespace_first()
    {
        var ns = UniqueNamespace("apply");
        WriteApp(ns);
        using var reconciler = Reconciler("apply");

        var result = await reconciler.ReconcileOnceAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Events));
        Assert.Equal(4, result.Created);
        Assert.Equal(GitOpsAction.Created, result.Events[0].Action);
        Assert.Equal("Namespace", result.Events[0].Target.Kind);
        Assert.Matches("^sha256:[0-9a-f]{64}$", result.Revision);
        var deployment = await fx.Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
        var service = await fx.Client.CoreV1.ReadNamespacedServiceAsync("web", ns);
        var map = await fx.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns);
        var space = await fx.Client.CoreV1.ReadNamespaceAsync(ns);
        foreach (var meta in new[] { deployment.Metadata, service.Metadata, map.Metadata, space.Metadata })
        {
            Assert.Equal("apply", meta.Labels[FluxMetadata.NameLabel]);
            Assert.Equal("flux-apply", meta.Labels[FluxMetadata.NamespaceLabel]);
        }

        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("blue", map.Data["mode"]);
        Assert.Contains($"{ns}_web_apps_Deployment", result.Inventory.Entries.Select(e => e.Id));
        Assert.Contains($"_{ns}__Namespace", result.Inventory.Entries.Select(e => e.Id));

        var again = await reconciler.ReconcileOnceAsync();
        Assert.Equal((0, 4, result.Revision), (again.Created, again.Applied, again.Revision));
    }

    [Fact]
    public async Task Corrects_drift_on_the_next_reconcile_but_not_on_an_object_with_reconcile_disabled_in_the_cluster()
    {
        var ns = UniqueNamespace("drift");
        WriteApp(ns);
        Write("extra.yaml", ConfigMap(ns, "hands-off", "from-git"));
        using var reconciler = Reconciler("drift");
        Assert.True((await reconciler.ReconcileOnceAsync()).Succeeded);

        // Someone edits the cluster: a scale, a data change, and an object marked hands-off in the cluster.
        await fx.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), "web", ns);
        await fx.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"mode":"green"}}""", V1Patch.PatchType.MergePatch), "settings", ns);
        await fx.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch($$$"""{"metadata":{"annotations":{"{{{FluxMetadata.Reconcile}}}":"disabled"}},"data":{"value":"by-hand"}}""", V1Patch.PatchType.MergePatch), "hands-off", ns);

        var result = await reconciler.ReconcileOnceAsync();

        Assert.True(result.Succeeded);
        Assert.Equal(2, (await fx.Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas);
        Assert.Equal("blue", (await fx.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns)).Data["mode"]);
        Assert.Equal("by-hand", (await fx.Client.CoreV1.ReadNamespacedConfigMapAsync("hands-off", ns)).Data["value"]);
        var skipped = Assert.Single(result.Events, e => e.Action == GitOpsAction.Skipped);
        Assert.Equal(("hands-off", "reconcile: disabled"), (skipped.Target.Name, skipped.Message));
    }

    [Fact]
    public async Task Ssa_IfNotPresent_creates_once_and_never_overwrites_and_Ignore_never_applies()
    {
        var ns = await fx.NewNamespaceAsync("ifnp");
        Write("once.yaml", ConfigMap(ns, "seed", "initial", $"{FluxMetadata.Ssa}: IfNotPresent"));
        Write("ignored.yaml", ConfigMap(ns, "ignored", "x", $"{FluxMetadata.Ssa}: Ignore"));
        using var reconciler = Reconciler("ifnp");

        var first = await reconciler.ReconcileOnceAsync();
        Assert.Equal(GitOpsAction.Created, Assert.Single(first.Events, e => e.Target.Name == "seed").Action);
        var ignored = Assert.Single(first.Events, e => e.Action == GitOpsAction.Skipped);
        Assert.Equal(("ignored", "ssa: Ignore"), (ignored.Target.Name, ignored.Message));
        await Assert.ThrowsAsync<HttpOperationException>(() => fx.Client.CoreV1.ReadNamespacedConfigMapAsync("ignored", ns));

        await fx.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"value":"changed"}}""", V1Patch.PatchType.MergePatch), "seed", ns);
        Write("once.yaml", ConfigMap(ns, "seed", "new-in-git", $"{FluxMetadata.Ssa}: IfNotPresent"));
        var second = await reconciler.ReconcileOnceAsync();

        Assert.Equal(GitOpsAction.Skipped, Assert.Single(second.Events, e => e.Target.Name == "seed").Action);
        Assert.Equal("changed", (await fx.Client.CoreV1.ReadNamespacedConfigMapAsync("seed", ns)).Data["value"]);
    }

    [Fact]
    public async Task Removing_a_file_prunes_its_object_but_not_one_with_prune_disabled_even_after_a_restart()
    {
        var ns = await fx.NewNamespaceAsync("prune");
        Write("keep.yaml", ConfigMap(ns, "keep", "1"));
        Write("gone.yaml", ConfigMap(ns, "gone", "1"));
        Write("sticky.yaml", ConfigMap(ns, "sticky", "1", $"{FluxMetadata.Prune}: disabled"));
        using (var first = Reconciler("prune"))
        {
            Assert.Equal(3, (await first.ReconcileOnceAsync()).Created);
        }

        // An object someone else made and never labelled: in no inventory, so never pruned either.
        await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "bystander" } }, ns);
        File.Delete(Path.Combine(_dir, "gone.yaml"));
        File.Delete(Path.Combine(_dir, "sticky.yaml"));
        var events = new List<GitOpsEvent>();
        using var restarted = Reconciler("prune", events: events);

        var result = await restarted.ReconcileOnceAsync();

        Assert.True(result.Succeeded);
        Assert.Equal("gone", Assert.Single(events, e => e.Action == GitOpsAction.Pruned).Target.Name);
        var left = Assert.Single(events, e => e.Action == GitOpsAction.PruneSkipped);
        Assert.Equal(("sticky", "prune: disabled"), (left.Target.Name, left.Message));
        var names = (await fx.Client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Select(c => c.Metadata.Name).Order().ToList();
        Assert.Equal(["bystander", "keep", "sticky"], names);
        Assert.Equal([$"{ns}_keep__ConfigMap"], result.Inventory.Entries.Select(e => e.Id));
        var stored = await fx.Client.CoreV1.ReadNamespacedConfigMapAsync("prune-inventory", "flux-prune");
        Assert.Contains($"{ns}_keep__ConfigMap", stored.Data["inventory"], StringComparison.Ordinal);
        Assert.Equal(result.Revision, stored.Data["revision"]);
    }

    [Fact]
    public async Task Applies_with_server_side_apply_as_kustomize_controller_with_force()
    {
        var ns = UniqueNamespace("ssa");
        WriteApp(ns);
        var recorder = new RecordingHandler();
        using var client = new k8s.Kubernetes(fx.Server.ClientConfiguration(), recorder);
        using var reconciler = Reconciler("ssa", client);

        Assert.True((await reconciler.ReconcileOnceAsync()).Succeeded);

        var patches = recorder.Requests.Where(r => r.Method == HttpMethod.Patch).ToList();
        Assert.Equal(4, patches.Count);
        Assert.All(patches, p =>
        {
            Assert.Equal("application/apply-patch+yaml", p.ContentType);
            Assert.Contains("fieldManager=kustomize-controller", p.Uri.Query, StringComparison.Ordinal);
            Assert.Contains("force=true", p.Uri.Query, StringComparison.Ordinal);
        });
        Assert.Contains(patches, p => p.Uri.AbsolutePath == $"/apis/apps/v1/namespaces/{ns}/deployments/web");
        Assert.Contains(patches, p => p.Uri.AbsolutePath == $"/api/v1/namespaces/{ns}");
    }

    [Fact]
    public async Task A_bad_manifest_is_reported_with_the_server_message_and_the_rest_is_applied()
    {
        var ns = await fx.NewNamespaceAsync("bad");
        Write("good.yaml", ConfigMap(ns, "good", "1"));
        Write("invalid.yaml", ConfigMap(ns, "Bad_Name", "1"));
        Write("unknown.yaml", $"apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: g\n  namespace: {ns}\n");
        Write("broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n");
        using var reconciler = Reconciler("bad");

        var result = await reconciler.ReconcileOnceAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.Created);
        Assert.Equal("1", (await fx.Client.CoreV1.ReadNamespacedConfigMapAsync("good", ns)).Data["value"]);
        var failures = result.Failures.ToDictionary(f => f.Target.Name);
        Assert.Equal($"ConfigMap/{ns}/Bad_Name", failures["Bad_Name"].Target.ToString());
        Assert.StartsWith("422 Invalid: ", failures["Bad_Name"].Message, StringComparison.Ordinal);
        Assert.Contains("metadata.name", failures["Bad_Name"].Message, StringComparison.Ordinal);
        Assert.Contains("no matches for kind \"Gizmo\"", failures["g"].Message, StringComparison.Ordinal);
        Assert.Equal("broken.yaml", Assert.Single(result.SourceErrors).File);
    }

    [Fact]
    public async Task Creates_a_CRD_then_its_custom_resources_in_the_same_reconcile_and_prunes_them_in_reverse()
    {
        var ns = await fx.NewNamespaceAsync("crd");
        var group = $"g{Guid.NewGuid().ToString("N")[..8]}.example.com";
        Write("a-widget.yaml", $"apiVersion: {group}/v1\nkind: Widget\nmetadata:\n  name: w1\n  namespace: {ns}\nspec: {{size: 3}}\n");
        Write("b-crd.yaml", $$"""
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
            """);
        using var reconciler = Reconciler("crd");

        var result = await reconciler.ReconcileOnceAsync();

        Assert.True(result.Succeeded, string.Join("\n", result.Events));
        Assert.Equal(["CustomResourceDefinition", "Widget"], result.Events.Select(e => e.Target.Kind));
        File.Delete(Path.Combine(_dir, "a-widget.yaml"));
        File.Delete(Path.Combine(_dir, "b-crd.yaml"));
        var pruned = await reconciler.ReconcileOnceAsync();
        Assert.Equal(["Widget", "CustomResourceDefinition"], pruned.Events.Where(e => e.Action == GitOpsAction.Pruned).Select(e => e.Target.Kind));
    }

    [Fact]
    public async Task Cli_gitops_once_applies_the_directory_and_prints_the_counts()
    {
        var ns = UniqueNamespace("cli");
        WriteApp(ns);
        var dll = Path.Combine(AppContext.BaseDirectory, "Canary.Sandbox.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "gitops", _dir, "--once", "--kubeconfig", fx.KubeconfigPath, "--name", "cli" })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        Assert.Matches(@"^revision sha256:[0-9a-f]{64}: applied 0, created 4, skipped 0, pruned 0, failed 0$", (await stdout).Trim());
        var deployment = await fx.Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
        Assert.Equal("cli", deployment.Metadata.Labels[FluxMetadata.NameLabel]);
        Assert.Equal("flux-system", deployment.Metadata.Labels[FluxMetadata.NamespaceLabel]);
    }

    [Fact]
    public async Task Run_loop_reconciles_every_interval_on_the_injected_clock()
    {
        var ns = await fx.NewNamespaceAsync("loop");
        Write("a.yaml", ConfigMap(ns, "a", "1"));
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var results = System.Threading.Channels.Channel.CreateUnbounded<GitOpsReconcileResult>();
        using var reconciler = new GitOpsReconciler(fx.Client, new GitOpsReconcilerOptions
        {
            Directory = _dir,
            Name = "loop",
            TimeProvider = time,
            PersistInventory = false,
            OnReconciled = r => results.Writer.TryWrite(r),
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var loop = reconciler.RunAsync(TimeSpan.FromMinutes(1), cts.Token);

        Assert.Equal(1, (await results.Reader.ReadAsync(cts.Token)).Created);
        Write("b.yaml", ConfigMap(ns, "b", "1"));
        // The loop is waiting on the fake clock: nothing happens until it is advanced past the interval.
        while (!results.Reader.TryPeek(out _))
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(20, cts.Token);
        }

        var second = await results.Reader.ReadAsync(cts.Token);
        Assert.Equal((1, 1), (second.Created, second.Applied));
        await cts.CancelAsync();
        await loop;
        await Assert.ThrowsAsync<HttpOperationException>(() => fx.Client.CoreV1.ReadNamespacedConfigMapAsync("loop-inventory", "flux-system"));
    }

    private sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? ContentType);

    private sealed class RecordingHandler : DelegatingHandler
    {
        private readonly List<RecordedRequest> _requests = [];

        public IReadOnlyList<RecordedRequest> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_requests)
            {
                _requests.Add(new RecordedRequest(request.Method, request.RequestUri!, request.Content?.Headers.ContentType?.MediaType));
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
