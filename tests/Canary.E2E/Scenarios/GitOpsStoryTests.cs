using System.Collections.Concurrent;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.GitOps;
using k8s;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// "Annotate an existing Deployment with a Canary CR, in a Flux Kustomization, and remove it without migration", with
/// Flux in the loop: the sandbox's Flux-like reconciler applies a directory holding the user's Deployment, Service and
/// Canary every 2 s (server-side apply as kustomize-controller, prune by inventory) throughout a release made by a commit
/// and through the Canary's removal.
/// </summary>
[Collection(FluxScenarios.Name)]
public sealed class GitOpsStoryTests(FluxEnvironment env, ITestOutputHelper output)
{
    [Fact]
    public async Task A_commit_is_released_while_Flux_keeps_applying_and_removing_the_Canary_from_Git_leaves_the_app_serving()
    {
        await using var s = await CanaryScenario.StartAsync(env, "gitops", "kubernetes", output);
        await using var tester = await SandboxLoadTester.StartAsync(env);
        var repo = Directory.CreateTempSubdirectory("canary-gitops-");
        var results = new ConcurrentQueue<GitOpsReconcileResult>();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(repo.FullName, "deployment.yaml"), Deployment(s.Namespace, Podinfo.Image));
            await File.WriteAllTextAsync(Path.Combine(repo.FullName, "service.yaml"), Service(s.Namespace));
            await File.WriteAllTextAsync(Path.Combine(repo.FullName, "canary.yaml"), CanaryManifest(s.Namespace, tester));
            using var flux = new GitOpsReconciler(env.Client, new GitOpsReconcilerOptions
            {
                Directory = repo.FullName,
                Name = s.Namespace,
                Interval = TimeSpan.FromSeconds(2),
                OnReconciled = results.Enqueue,
                OnEvent = e => output.WriteLine($"flux: {e}"),
            });
            using var stop = new CancellationTokenSource();
            var loop = flux.RunAsync(stop.Token);
            env.AddTraffic(s.Namespace, Podinfo.Name, "kubernetes", 50);

            await s.WaitForPhaseAsync(CanaryPhase.Initialized);
            // Flux skips the apex Service the controller took over, so it never puts its selector back.
            await WaitForReconcilesAsync(s, results, 2);
            Assert.Equal("podinfo-primary", (await s.Client.CoreV1.ReadNamespacedServiceAsync(Podinfo.Name, s.Namespace)).Spec.Selector["app"]);
            Assert.Contains(results.Last().Events, e => e is { Action: GitOpsAction.Skipped, Target.Kind: "Service" });

            // A release is a commit: the image changes in Git, Flux applies it, the controller promotes it.
            var releasedAt = results.Count;
            await File.WriteAllTextAsync(Path.Combine(repo.FullName, "deployment.yaml"), Deployment(s.Namespace, Podinfo.NewImage));
            await s.WaitForPhaseAsync(CanaryPhase.Progressing, TimeSpan.FromMinutes(1));
            await s.WaitForPhaseAsync(CanaryPhase.Succeeded, TimeSpan.FromMinutes(2));
            Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
            Assert.True(results.Count - releasedAt >= 3, $"Flux reconciled {results.Count - releasedAt} times during the release");
            Assert.DoesNotContain(s.Observer.Statuses, x => x.Phase == CanaryPhase.Failed);

            // Flux keeps applying the user's Deployment (no replicas in Git): the controller's scale-down holds.
            await WaitForReconcilesAsync(s, results, 2);
            Assert.Equal(0, (await s.DeploymentAsync(Podinfo.Name)).Spec.Replicas);
            Assert.Equal("podinfo-primary", (await s.Client.CoreV1.ReadNamespacedServiceAsync(Podinfo.Name, s.Namespace)).Spec.Selector["app"]);
            Assert.All(results, r => Assert.Empty(r.Failures));

            // Removal is a commit too: Flux prunes the Canary, the controller gives the app back before it goes.
            File.Delete(Path.Combine(repo.FullName, "canary.yaml"));
            await s.WaitUntilAsync(c => c is null, "Canary pruned by Flux and its finalizer done", TimeSpan.FromMinutes(1));
            Assert.Contains(results, r => r.Events.Any(e => e is { Action: GitOpsAction.Pruned, Target.Kind: "Canary" }));
            await s.WaitUntilAsync(() => env.TryGet(BuiltInResources.Deployments, s.Namespace, "podinfo-primary") is null, "primary garbage-collected");

            // The apex Service is Flux's again: unmarked, applied on the next reconcile, selecting the user's pods.
            var removedAt = results.Count;
            await WaitForReconcilesAsync(s, results, 2);
            var apex = await s.Client.CoreV1.ReadNamespacedServiceAsync(Podinfo.Name, s.Namespace);
            Assert.Equal(new Dictionary<string, string> { ["app"] = Podinfo.Name }, apex.Spec.Selector);
            Assert.False(apex.Metadata.Annotations?.ContainsKey("kustomize.toolkit.fluxcd.io/reconcile") ?? false, "the controller's Flux marker was left on the Service");
            Assert.Contains(results.Skip(removedAt), r => r.Events.Any(e => e is { Action: GitOpsAction.Applied, Target.Kind: "Service" }));
            var target = await s.DeploymentAsync(Podinfo.Name);
            Assert.Equal(Podinfo.NewImage, target.Spec.Template.Spec.Containers[0].Image);
            Assert.True(target.Spec.Replicas >= 1, $"the user's Deployment has {target.Spec.Replicas} replicas");

            // And the clients are served by the user's Deployment, through the Service as written in Git.
            await s.WaitUntilAsync(
                () => s.Routing().All(r => r.Backends.Count == 1 && r.Backends[0].Workloads.SequenceEqual([Podinfo.Name]) && r.Backends[0].ReadyPods >= 1),
                "apex Service endpoints are the user's pods");
            var before = s.Traffic();
            await s.WaitUntilAsync(() => s.Traffic().Since(before).Total >= 100, "some requests served");
            var served = s.Traffic().Since(before);
            Assert.Equal(served.Total, served.Count(k => k.Workload == Podinfo.Name && k.StatusCode == 200));

            await stop.CancelAsync();
            await loop;
            Assert.All(results, r => Assert.Empty(r.Failures));
        }
        finally
        {
            repo.Delete(recursive: true);
        }
    }

    private static Task WaitForReconcilesAsync(CanaryScenario s, ConcurrentQueue<GitOpsReconcileResult> results, int more)
    {
        var target = results.Count + more;
        return s.WaitUntilAsync(() => results.Count >= target, $"{more} more reconciles by Flux");
    }

    // What the user keeps in Git: no replicas (the controller scales this Deployment; Flux would put a value back).
    private static string Deployment(string ns, string image) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: podinfo
          namespace: {ns}
          labels:
            app: podinfo
        spec:
          selector:
            matchLabels:
              app: podinfo
          template:
            metadata:
              labels:
                app: podinfo
            spec:
              containers:
                - name: podinfod
                  image: {image}
                  ports:
                    - name: http
                      containerPort: 9898
        """;

    private static string Service(string ns) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: podinfo
          namespace: {ns}
        spec:
          selector:
            app: podinfo
          ports:
            - name: http
              port: {Podinfo.Port}
              targetPort: 9898
        """;

    private static string CanaryManifest(string ns, SandboxLoadTester tester)
    {
        var hook = tester.Hook("load-test", WebhookTypes.Rollout, $"hey -z 1m -q 10 -c 2 http://podinfo-canary.{ns}:{Podinfo.Port}/");
        return $"""
            apiVersion: canary.dev/v1beta1
            kind: Canary
            metadata:
              name: podinfo
              namespace: {ns}
            spec:
              provider: kubernetes
              targetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: podinfo
              progressDeadlineSeconds: 60
              service:
                port: {Podinfo.Port}
                targetPort: 9898
              analysis:
                interval: 2s
                iterations: 4
                threshold: 5
                metrics:
                  - name: request-success-rate
                    interval: 10s
                    thresholdRange:
                      min: 99
                webhooks:
                  - name: load-test
                    type: rollout
                    url: {hook.Url}
                    timeout: 15s
                    metadata:
                      cmd: "{hook.Metadata!["cmd"]}"
            """;
    }
}
