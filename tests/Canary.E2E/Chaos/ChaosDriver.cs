using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Providers.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using k8s;
using k8s.Models;

namespace Canary.E2E.Chaos;

/// <summary>What the user and the cluster saw of one release, tick by tick.</summary>
public sealed record RolloutRecord
{
    /// <summary>(phase, weight, iterations, failed checks) after each tick, consecutive repeats collapsed.</summary>
    public List<string> Statuses { get; } = [];

    /// <summary>The routing object's (primary, canary, mirrored) after each tick, consecutive repeats collapsed.</summary>
    public List<string> Routes { get; } = [];

    /// <summary>Every webhook call received, in order (hook name; events with their message, the namespace as NS).</summary>
    public List<string> Hooks { get; } = [];

    /// <summary>How many webhook calls had been received when each tick started (index 0 = tick 1).</summary>
    public List<int> TickStarts { get; } = [];

    /// <summary>The tick the crash happened in (from 1), if any.</summary>
    public int CrashTick { get; set; }

    /// <summary>The controller's writes (crash points), by the first process.</summary>
    public List<ApiWrite> Writes { get; } = [];

    /// <summary>Webhook calls received before the crash, and at the start of the crashed tick; null without a crash.</summary>
    public (int CallsBefore, int CallsAtTickStart)? Crash { get; set; }

    /// <summary>Primary image, user's Deployment replicas, final phase.</summary>
    public string Outcome { get; set; } = string.Empty;

    public static void AddCollapsed(List<string> trace, string value)
    {
        if (trace.Count == 0 || trace[^1] != value)
        {
            trace.Add(value);
        }
    }
}

/// <summary>
/// Plays one release of a <see cref="ChaosCase"/> in its own namespace: ticks the engine on a fake clock, plays the
/// Deployment controller between ticks (every replica ready; for a Knative Service, Knative Serving's revisions), edits the image once the Canary is Initialized, and, when
/// armed, lets the controller crash at one write and starts a fresh process that carries on from the API server's state.
/// </summary>
public sealed class ChaosDriver(ChaosFixture fixture, ChaosCase chaos)
{
    private static readonly Sandbox.ApiServer.Resources.GroupVersionResource Knative = Crds.KnativeServices;

    private const int MaxTicks = 80;
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    public async Task<RolloutRecord> RunAsync((int Number, CrashMode Mode)? crashAt, CancellationToken cancellationToken)
    {
        var ns = await fixture.NewNamespaceAsync(chaos.Provider.Replace(':', '-') + "-" + chaos.Strategy.ToString().ToLowerInvariant());
        var admin = fixture.Admin;
        foreach (var ingress in chaos.UserIngresses(ns))
        {
            await admin.NetworkingV1.CreateNamespacedIngressAsync(ingress, ns, cancellationToken: cancellationToken);
        }

        foreach (var route in chaos.UserApisixRoutes(ns))
        {
            await admin.CustomObjects.CreateNamespacedCustomObjectAsync(route, "apisix.apache.org", "v2", ns, "apisixroutes", cancellationToken: cancellationToken);
        }

        if (chaos.KnativeTarget)
        {
            await admin.CustomObjects.CreateNamespacedCustomObjectAsync(Podinfo.KnativeService(ns), Knative.Group, Knative.Version, ns, Knative.Resource, cancellationToken: cancellationToken);
            await NewRevisionAsync(admin, ns, 1, cancellationToken);
        }
        else
        {
            await admin.AppsV1.CreateNamespacedDeploymentAsync(Podinfo.Deployment(ns), ns, cancellationToken: cancellationToken);
        }

        var canaryResource = chaos.Canary(ns, fixture.Webhooks);
        await admin.CustomObjects.CreateNamespacedCustomObjectAsync(canaryResource, CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName, cancellationToken: cancellationToken);
        fixture.Webhooks.Answer(ns, WebhookTypes.Rollback, System.Net.HttpStatusCode.Forbidden, "no manual rollback");

        var record = new RolloutRecord();
        var clock = new FakeTimeProvider(Start);
        var router = new TrafficRouterFactory(admin, Options.Create(new TrafficRouterOptions { DefaultProvider = chaos.Provider })).Create(chaos.Provider);
        var process = ControllerProcess.Start(fixture, chaos, clock, crashAt);
        var edited = false;
        try
        {
            for (var tick = 1; tick <= MaxTicks; tick++)
            {
                var callsAtTickStart = fixture.Webhooks.Calls(ns).Count;
                record.TickStarts.Add(callsAtTickStart);
                process.Crash.Tick = tick;
                TimeSpan? requeue;
                try
                {
                    requeue = await process.Engine.TickAsync(ns, Podinfo.Name, process.Token);
                }
                catch (Exception) when (process.Crash.Crashed)
                {
                    record.Crash = (fixture.Webhooks.Calls(ns).Count, callsAtTickStart);
                    record.CrashTick = tick;
                    record.Writes.AddRange(process.Crash.Writes);
                    await process.DisposeAsync();
                    process = ControllerProcess.Start(fixture, chaos, clock, crashAt: null);

                    // A restarted controller lists every Canary at once.
                    requeue = TimeSpan.FromSeconds(1);
                }

                await MarkDeploymentsReadyAsync(admin, ns, cancellationToken);
                var canary = await admin.CustomObjects.GetNamespacedCustomObjectAsync<CanaryResource>(
                    CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName, Podinfo.Name, cancellationToken: cancellationToken);
                var status = canary.Status;
                RolloutRecord.AddCollapsed(record.Statuses, $"{status?.Phase} w={status?.CanaryWeight} i={status?.Iterations} f={status?.FailedChecks}");
                RolloutRecord.AddCollapsed(record.Routes, await RoutesAsync(router, canary, cancellationToken));
                if (!edited && status?.Phase == CanaryPhase.Initialized)
                {
                    await EditImageAsync(admin, ns, chaos.KnativeTarget, cancellationToken);
                    edited = true;
                }
                else if (edited && status?.Phase is CanaryPhase.Succeeded or CanaryPhase.Failed)
                {
                    break;
                }

                clock.Advance(requeue ?? ChaosCase.Interval);
            }
        }
        finally
        {
            if (record.Crash is null)
            {
                record.Writes.AddRange(process.Crash.Writes);
            }

            await process.DisposeAsync();
        }

        record.Hooks.AddRange(fixture.Webhooks.Calls(ns).Select(c => c.EventMessage is { } message ? $"event: {message.Replace(ns, "NS", StringComparison.Ordinal)}" : c.Hook));
        record.Outcome = chaos.KnativeTarget ? await KnativeOutcomeAsync(admin, ns, record, cancellationToken) : await OutcomeAsync(admin, ns, record, cancellationToken);
        await admin.CoreV1.DeleteNamespaceAsync(ns, cancellationToken: cancellationToken);
        return record;
    }

    private static async Task<string> RoutesAsync(ITrafficRouter router, CanaryResource canary, CancellationToken cancellationToken)
    {
        try
        {
            var routes = await router.GetRoutesAsync(canary, cancellationToken);
            return $"primary={routes.PrimaryWeight} canary={routes.CanaryWeight}{(routes.Mirrored ? " mirrored" : string.Empty)}";
        }
        catch (TrafficRouterException)
        {
            return "no routes yet";
        }
    }

    private static async Task<string> OutcomeAsync(IKubernetes admin, string ns, RolloutRecord record, CancellationToken cancellationToken)
    {
        var primary = await admin.AppsV1.ReadNamespacedDeploymentAsync($"{Podinfo.Name}-primary", ns, cancellationToken: cancellationToken);
        var user = await admin.AppsV1.ReadNamespacedDeploymentAsync(Podinfo.Name, ns, cancellationToken: cancellationToken);
        return $"{record.Statuses[^1]}; primary {primary.Spec.Template.Spec.Containers[0].Image}; {Podinfo.Name} replicas {user.Spec.Replicas}";
    }

    private static async Task<string> KnativeOutcomeAsync(IKubernetes admin, string ns, RolloutRecord record, CancellationToken cancellationToken)
    {
        var service = await admin.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(Knative.Group, Knative.Version, ns, Knative.Resource, Podinfo.Name, cancellationToken: cancellationToken);
        return $"{record.Statuses[^1]}; primary revision {service["metadata"]?["annotations"]?["canary.dev/primary-revision"]}; traffic {service["spec"]?["traffic"]?.ToJsonString()}";
    }

    // Knative Serving's part: revision <n> of the Service, ready at once, and the Service's status naming it.
    private static async Task NewRevisionAsync(IKubernetes admin, string ns, int number, CancellationToken cancellationToken)
    {
        var name = $"{Podinfo.Name}-{number:00000}";
        var revision = new JsonObject
        {
            ["apiVersion"] = "serving.knative.dev/v1",
            ["kind"] = "Revision",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["serving.knative.dev/service"] = Podinfo.Name } },
        };
        await admin.CustomObjects.CreateNamespacedCustomObjectAsync(revision, Knative.Group, Knative.Version, ns, "revisions", cancellationToken: cancellationToken);
        revision = await admin.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(Knative.Group, Knative.Version, ns, "revisions", name, cancellationToken: cancellationToken);
        revision["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) };
        await admin.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(revision, Knative.Group, Knative.Version, ns, "revisions", name, cancellationToken: cancellationToken);
        var status = new JsonObject { ["status"] = new JsonObject { ["latestCreatedRevisionName"] = name, ["latestReadyRevisionName"] = name } };
        await admin.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), Knative.Group, Knative.Version, ns, Knative.Resource, Podinfo.Name, cancellationToken: cancellationToken);
    }

    private static async Task EditImageAsync(IKubernetes admin, string ns, bool knative, CancellationToken cancellationToken)
    {
        if (knative)
        {
            var patch = new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["release"] = "2" } } } } };
            await admin.CustomObjects.PatchNamespacedCustomObjectAsync(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), Knative.Group, Knative.Version, ns, Knative.Resource, Podinfo.Name, cancellationToken: cancellationToken);
            await NewRevisionAsync(admin, ns, 2, cancellationToken);
            return;
        }

        var deployment = await admin.AppsV1.ReadNamespacedDeploymentAsync(Podinfo.Name, ns, cancellationToken: cancellationToken);
        deployment.Spec.Template.Spec.Containers[0].Image = Podinfo.NewImage;
        await admin.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, Podinfo.Name, ns, cancellationToken: cancellationToken);
    }

    // The Deployment controller's part: the current generation fully rolled out and available.
    private static async Task MarkDeploymentsReadyAsync(IKubernetes admin, string ns, CancellationToken cancellationToken)
    {
        var deployments = await admin.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: cancellationToken);
        foreach (var deployment in deployments.Items)
        {
            var replicas = deployment.Spec.Replicas ?? 1;
            if (deployment.Status is { } current && current.ObservedGeneration == deployment.Metadata.Generation && current.AvailableReplicas == replicas)
            {
                continue;
            }

            deployment.Status = new V1DeploymentStatus
            {
                ObservedGeneration = deployment.Metadata.Generation,
                Replicas = replicas,
                UpdatedReplicas = replicas,
                ReadyReplicas = replicas,
                AvailableReplicas = replicas,
            };
            await admin.AppsV1.ReplaceNamespacedDeploymentStatusAsync(deployment, deployment.Metadata.Name, ns, cancellationToken: cancellationToken);
        }
    }
}
