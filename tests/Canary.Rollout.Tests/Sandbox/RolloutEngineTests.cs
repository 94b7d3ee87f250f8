using Canary.Api.V1Beta1;
using Canary.Providers.Registry;
using Canary.Providers.Routing;
using Canary.Rollout.Engine;
using Canary.Rollout.Events;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Status;
using Canary.Rollout.Targets;
using Canary.Webhooks.Hooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using k8s;

namespace Canary.Rollout.Tests.Sandbox;

/// <summary>The engine end to end against the emulated API server with the kubernetes provider (no mesh, no metrics).</summary>
public sealed class RolloutEngineTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private sealed class PassingHooks : IHookGate
    {
        public Task<CheckOutcome> RunAsync(CanaryResource canary, WebhookType type, CanaryPhase phase, CancellationToken cancellationToken) =>
            Task.FromResult(CheckOutcome.Pass);
    }

    private sealed class PassingAnalysis : IAnalysisRunner
    {
        public Task<CheckOutcome> AnalyzeAsync(CanaryResource canary, Canary.MetricTemplates.Templates.MetricRoutes? routes, CancellationToken cancellationToken) => Task.FromResult(CheckOutcome.Pass);

        public Task<CheckOutcome> CheckProvidersAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.FromResult(CheckOutcome.Pass);
    }

    private sealed class RecordingEvents : IEventRecorder, IAlertSink
    {
        public List<RolloutEvent> Events { get; } = [];

        public Task RecordAsync(CanaryResource canary, RolloutEvent rolloutEvent, CancellationToken cancellationToken)
        {
            Events.Add(rolloutEvent);
            return Task.CompletedTask;
        }

        public Task SendAsync(CanaryResource canary, RolloutAlert alert, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    // The API server answering 500 to the next status write (the chaos suite's fault, here on cue).
    private sealed class StatusWriterFailingOnCue(IStatusWriter inner) : IStatusWriter
    {
        public bool FailNext { get; set; }

        public Task<CanaryResource> WriteAsync(CanaryResource canary, Func<CanaryResource, CanaryStatus> mutate, CancellationToken cancellationToken)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new k8s.Autorest.HttpOperationException("Internal Server Error")
                {
                    Response = new k8s.Autorest.HttpResponseMessageWrapper(new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError), string.Empty),
                };
            }

            return inner.WriteAsync(canary, mutate, cancellationToken);
        }
    }

    private static (RolloutEngine Engine, RecordingEvents Events) Engine(IKubernetes client, IStatusWriter? statusWriter = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var recorded = new RecordingEvents();
        var events = new CompositeEventRecorder([recorded, new KubernetesEventRecorder(client, clock)], NullLogger<CompositeEventRecorder>.Instance);
        var reader = new KubernetesClusterReader(client);
        var engine = new RolloutEngine(
            reader, new TargetResolver([new DeploymentTarget(reader, client, Options.Create(new TargetOptions()), clock)]), new KubernetesServiceRouterAdapter(new TrafficRouterFactory(client, Options.Create(new TrafficRouterOptions())).CreateServiceRouter()),
            new TrafficRouterFactoryResolver(new TrafficRouterFactory(client, Options.Create(new TrafficRouterOptions()))),
            new PassingHooks(), new PassingAnalysis(), events, recorded, new Canary.Rollout.Controls.KubernetesControlRequests(client), statusWriter ?? new KubernetesStatusWriter(client), new FinalizerWriter(client),
            Options.Create(new RolloutEngineOptions()), clock);
        return (engine, recorded);
    }

    [Fact]
    public async Task A_router_failing_at_run_time_shows_on_the_Canary_as_a_condition_and_a_warning_then_clears()
    {
        var client = sandbox.Client;
        var ns = await sandbox.NewNamespaceAsync();
        await Objects.CreateAllAsync(client, ns, withHpa: false);
        // Switch to nginx with an ingressRef that names no Ingress.
        var canary = await client.CustomObjects.GetNamespacedCustomObjectAsync<CanaryResource>(CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName, "podinfo");
        canary.Spec.Provider = "nginx";
        canary.Spec.Analysis = new CanaryAnalysis { Interval = "10s", Threshold = 2, StepWeight = 50 };
        canary.Spec.IngressRef = new LocalObjectReference { ApiVersion = "networking.k8s.io/v1", Kind = "Ingress", Name = "missing" };
        await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(canary, CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName, "podinfo");
        var (engine, recorded) = Engine(sandbox.Controller);
        var reader = new KubernetesClusterReader(sandbox.Controller);

        await engine.TickAsync(ns, "podinfo", default);
        await Objects.MarkReadyAsync(client, ns, "podinfo-primary");
        for (var i = 0; i < 3; i++)
        {
            await engine.TickAsync(ns, "podinfo", default);
        }

        canary = (await reader.GetCanaryAsync(ns, "podinfo", default))!;
        var condition = Assert.Single(canary.Status!.Conditions!, c => c.Type == RolloutConditions.Reconciled);
        Assert.Equal(("False", "TrafficRouterFailed"), (condition.Status, condition.Reason));
        Assert.Equal($"traffic provider nginx: ingress missing.{ns} not found (spec.ingressRef)", condition.Message);
        Assert.Contains(recorded.Events, e => e.Severity == EventSeverity.Warning && e.Message == condition.Message);

        // The user creates the Ingress: the next tick completes and the condition turns True.
        await client.NetworkingV1.CreateNamespacedIngressAsync(new k8s.Models.V1Ingress
        {
            Metadata = new() { Name = "missing", NamespaceProperty = ns },
            Spec = new() { Rules = [new() { Host = "app.test", Http = new() { Paths = [new() { Path = "/", PathType = "Prefix", Backend = new() { Service = new() { Name = "podinfo", Port = new() { Number = 9898 } } } }] } }] },
        }, ns);
        await engine.TickAsync(ns, "podinfo", default);
        canary = (await reader.GetCanaryAsync(ns, "podinfo", default))!;
        Assert.Equal("True", Assert.Single(canary.Status!.Conditions!, c => c.Type == RolloutConditions.Reconciled).Status);
    }

    [Fact]
    public async Task Deleting_a_Canary_whose_provider_is_broken_completes_with_a_warning()
    {
        var client = sandbox.Client;
        var ns = await sandbox.NewNamespaceAsync();
        await Objects.CreateAllAsync(client, ns, withHpa: false);
        var (engine, recorded) = Engine(sandbox.Controller);
        var reader = new KubernetesClusterReader(sandbox.Controller);
        await engine.TickAsync(ns, "podinfo", default);
        await Objects.MarkReadyAsync(client, ns, "podinfo-primary");
        await engine.TickAsync(ns, "podinfo", default);
        Assert.Equal(CanaryPhase.Initialized, (await reader.GetCanaryAsync(ns, "podinfo", default))!.Status!.Phase);

        // Switched to a provider this controller does not implement (App Mesh is retired), then deleted.
        var canary = await client.CustomObjects.GetNamespacedCustomObjectAsync<CanaryResource>(CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName, "podinfo");
        canary.Spec.Provider = "appmesh";
        await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(canary, CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName, "podinfo");
        await engine.TickAsync(ns, "podinfo", default);
        Assert.Equal("False", (await reader.GetCanaryAsync(ns, "podinfo", default))!.Status!.Conditions!.Single(c => c.Type == RolloutConditions.Validated).Status);
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName, "podinfo");

        await engine.TickAsync(ns, "podinfo", default);
        await Objects.MarkReadyAsync(client, ns, "podinfo");
        await engine.TickAsync(ns, "podinfo", default);

        Assert.Null(await reader.GetCanaryAsync(ns, "podinfo", default));
        Assert.Contains(recorded.Events, e => e.Severity == EventSeverity.Warning
            && e.Message == $"Could not revert the routing of podinfo.{ns}: traffic provider 'appmesh' is not supported (supported: {string.Join(", ", TrafficProviderRegistry.Default.Names)}); the finalizer is released anyway, check the provider's objects by hand");
        Assert.Equal(2, (await client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns)).Spec.Replicas);
    }

    [Fact]
    public async Task Initializes_promotes_a_new_revision_and_reverts_on_deletion()
    {
        var client = sandbox.Client;
        var ns = await sandbox.NewNamespaceAsync();
        await Objects.CreateAllAsync(client, ns);
        var (engine, recorded) = Engine(sandbox.Controller);
        var reader = new KubernetesClusterReader(sandbox.Controller);
        async Task<CanaryResource> Tick()
        {
            await engine.TickAsync(ns, "podinfo", default);
            return (await reader.GetCanaryAsync(ns, "podinfo", default))!;
        }

        var canary = await Tick();
        Assert.Equal(CanaryPhase.Initializing, canary.Status!.Phase);
        Assert.Contains(RolloutEngineOptions.Finalizer, canary.Metadata.Finalizers);
        Assert.Equal(2, (await client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns)).Spec.Replicas);

        await Objects.MarkReadyAsync(client, ns, "podinfo-primary");
        canary = await Tick();
        Assert.Equal(CanaryPhase.Initialized, canary.Status!.Phase);
        Assert.Equal(0, (await client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns)).Spec.Replicas);
        var apex = await client.CoreV1.ReadNamespacedServiceAsync("podinfo", ns);
        Assert.Equal("podinfo-primary", apex.Spec.Selector["app"]);
        Assert.Contains(recorded.Events, e => e.Message == $"Initialization done! podinfo.{ns}");
        var coreEvents = await client.CoreV1.ListNamespacedEventAsync(ns);
        Assert.Contains(coreEvents.Items, e => e.Reason == "Synced" && e.Message == $"Initialization done! podinfo.{ns}" && e.InvolvedObject.Kind == "Canary");

        // Idle tick: no status write.
        var version = canary.Metadata.ResourceVersion;
        canary = await Tick();
        Assert.Equal(version, canary.Metadata.ResourceVersion);

        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns);
        deployment.Spec.Template.Spec.Containers[0].Image = "ghcr.io/stefanprodan/podinfo:6.0.1";
        await client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "podinfo", ns);
        canary = await Tick();
        Assert.Equal(CanaryPhase.Progressing, canary.Status!.Phase);
        Assert.Equal(2, (await client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns)).Spec.Replicas);
        await Objects.MarkReadyAsync(client, ns, "podinfo");

        for (var i = 0; i < 4 && canary.Status!.Phase != CanaryPhase.Promoting; i++)
        {
            canary = await Tick();
        }

        Assert.Equal(CanaryPhase.Promoting, canary.Status!.Phase);
        Assert.Equal("ghcr.io/stefanprodan/podinfo:6.0.1", (await client.AppsV1.ReadNamespacedDeploymentAsync("podinfo-primary", ns)).Spec.Template.Spec.Containers[0].Image);
        await Objects.MarkReadyAsync(client, ns, "podinfo-primary");
        canary = await Tick();
        Assert.Equal(CanaryPhase.Finalising, canary.Status!.Phase);
        canary = await Tick();
        Assert.Equal(CanaryPhase.Succeeded, canary.Status!.Phase);
        Assert.Equal(0, (await client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns)).Spec.Replicas);
        Assert.Equal(canary.Status.LastAppliedSpec, canary.Status.LastPromotedSpec);

        // Deletion: the target comes back, becomes ready, takes the apex Service, then the finalizer goes.
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName, "podinfo");
        canary = await Tick();
        Assert.Equal(CanaryPhase.Terminating, canary.Status!.Phase);
        Assert.Equal(2, (await client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns)).Spec.Replicas);

        await Objects.MarkReadyAsync(client, ns, "podinfo");
        await engine.TickAsync(ns, "podinfo", default);
        Assert.Null(await reader.GetCanaryAsync(ns, "podinfo", default));
        Assert.Contains(recorded.Events, e => e.Message == $"Terminated canary podinfo.{ns}");
    }

    [Fact]
    public async Task A_tick_repeated_after_its_status_write_failed_tells_the_new_revision_once()
    {
        var client = sandbox.Client;
        var ns = await sandbox.NewNamespaceAsync();
        await Objects.CreateAllAsync(client, ns, withHpa: false);
        var writer = new StatusWriterFailingOnCue(new KubernetesStatusWriter(sandbox.Controller));
        var (engine, recorded) = Engine(sandbox.Controller, writer);
        var reader = new KubernetesClusterReader(sandbox.Controller);
        await engine.TickAsync(ns, "podinfo", default);
        await Objects.MarkReadyAsync(client, ns, "podinfo-primary");
        await engine.TickAsync(ns, "podinfo", default);
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns);
        deployment.Spec.Template.Spec.Containers[0].Image = "ghcr.io/stefanprodan/podinfo:6.0.1";
        await client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "podinfo", ns);

        writer.FailNext = true;
        await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => engine.TickAsync(ns, "podinfo", default));
        Assert.Equal(CanaryPhase.Initialized, (await reader.GetCanaryAsync(ns, "podinfo", default))!.Status!.Phase);
        await engine.TickAsync(ns, "podinfo", default);

        Assert.Equal(CanaryPhase.Progressing, (await reader.GetCanaryAsync(ns, "podinfo", default))!.Status!.Phase);
        var detected = $"New revision detected! Scaling up podinfo.{ns}";
        Assert.Single(recorded.Events, e => e.Message == detected);
        Assert.Single((await client.CoreV1.ListNamespacedEventAsync(ns)).Items, e => e.Message == detected);

        // A later tick that starts from another checkpoint tells again what it decides (the ledger is per attempt).
        await Objects.MarkReadyAsync(client, ns, "podinfo");
        await engine.TickAsync(ns, "podinfo", default);
        Assert.Contains(recorded.Events, e => e.Message == $"Starting canary analysis for podinfo.{ns}");
    }
}
