using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Json;
using Canary.Sandbox.Workloads.Internal;

namespace Canary.Sandbox.Workloads.Controllers;

/// <summary>
/// Knative Serving (serving.knative.dev/v1) as far as a canary of a Knative Service needs it, with the Configuration and
/// Route folded into the Service: each new template of a Service becomes a Revision <c>&lt;service&gt;-NNNNN</c> (the
/// configuration generation, from 00001), each Revision a Deployment <c>&lt;revision&gt;-deployment</c> and a Service
/// <c>&lt;revision&gt;-private</c> over its pods. A Revision is Ready once its Deployment has a ready pod; the Service's
/// status names the latest created and latest ready revisions and publishes spec.traffic resolved by
/// <see cref="KnativeTraffic"/>. No autoscaler: a revision keeps max(1, min-scale) pods, never scales to zero, and old
/// revisions keep theirs.
/// </summary>
internal sealed class KnativeServingController(SimulatorContext ctx)
{
    public const string Group = "serving.knative.dev";
    public const string ServiceLabel = Group + "/service";
    public const string ConfigurationLabel = Group + "/configuration";
    public const string ConfigurationGenerationLabel = Group + "/configurationGeneration";
    public const string RevisionLabel = Group + "/revision";

    /// <summary>On a Revision: the hash of the template it was made from, to tell when the Service's template changed.</summary>
    public const string TemplateHashAnnotation = SandboxAnnotations.Prefix + "knative-template-hash";

    public static readonly GroupVersionResource Services = new(Group, "v1", "services");
    public static readonly GroupVersionResource Revisions = new(Group, "v1", "revisions");

    private const string MinScaleAnnotation = "autoscaling.knative.dev/min-scale";
    private const string LegacyMinScaleAnnotation = "autoscaling.knative.dev/minScale";
    private const string ProgressDeadlineAnnotation = Group + "/progress-deadline";
    private const int DefaultUserPort = 8080;
    private const int DefaultProgressDeadlineSeconds = 600;

    // Revision spec fields that Knative's queue-proxy acts on; they are not pod fields.
    private static readonly string[] RevisionOnlyFields = ["containerConcurrency", "timeoutSeconds", "responseStartTimeoutSeconds", "idleTimeoutSeconds"];

    /// <summary>The status of a Revision's Ready condition ("True", "False", "Unknown"), or null before it has one.</summary>
    public static string? ReadyStatus(JsonObject revision) =>
        revision["status"] is JsonObject s && Conditions.Get(s, "Ready") is { } c ? KubeJson.Str(c, "status") : null;

    /// <summary>The name of <paramref name="obj"/>'s controller when it is a Knative object of <paramref name="kind"/>.</summary>
    public static string? KnativeOwner(JsonObject obj, string kind) =>
        KubeJson.Controller(obj) is { } owner && KubeJson.Str(owner, "kind") == kind &&
        KubeJson.Str(owner, "apiVersion")?.StartsWith(Group + "/", StringComparison.Ordinal) == true
            ? KubeJson.Str(owner, "name")
            : null;

    public void ReconcileService(string ns, string name)
    {
        var service = ctx.TryGet(Services, ns, name);
        if (service is null || KubeJson.IsDeleting(service))
        {
            return;
        }

        var template = service["spec"]?["template"] as JsonObject ?? [];
        var hash = TemplateHash.Compute(template);
        var selector = new JsonObject { ["matchLabels"] = new JsonObject { [ServiceLabel] = name } };
        var revisions = ctx.ListOwned(Revisions, ns, KubeJson.Uid(service), selector).OrderBy(ConfigurationGeneration).ToList();
        if (revisions.Count == 0 || KubeJson.Annotation(revisions[^1], TemplateHashAnnotation) != hash)
        {
            // Knative compares with the latest created revision only: going back to an older template is a new revision too.
            var generation = revisions.Count == 0 ? 1 : ConfigurationGeneration(revisions[^1]) + 1;
            if (ctx.CreateOwned(Revisions, ns, NewRevision(service, template, hash, generation), Services, service) is not { } created)
            {
                return;
            }

            revisions.Add(created);
        }

        var latestCreated = revisions[^1];
        var createdName = KubeJson.Name(latestCreated);
        var readyName = revisions.LastOrDefault(r => ReadyStatus(r) == "True") is { } ready ? KubeJson.Name(ready) : null;
        var configurations = ReadyStatus(latestCreated) switch
        {
            "True" => KnativeCondition.Ok,
            "False" => KnativeCondition.Failed("RevisionFailed", $"Revision \"{createdName}\" failed with message: {ReadyMessage(latestCreated)}."),
            _ => KnativeCondition.Waiting("Deploying", $"Revision \"{createdName}\" is not ready yet."),
        };
        var (traffic, routes) = KnativeTraffic.Resolve(service, readyName, configurations.IsFailed, r => ctx.TryGet(Revisions, ns, r));

        var previous = service["status"] as JsonObject;
        var status = new JsonObject
        {
            ["observedGeneration"] = KubeJson.Generation(service),
            ["conditions"] = KnativeCondition.Write(previous, ctx.NowStamp, ("ConfigurationsReady", configurations), ("RoutesReady", routes), ("Ready", KnativeCondition.Summary(configurations, routes))),
            ["latestCreatedRevisionName"] = createdName,
        };
        if (readyName is not null)
        {
            status["latestReadyRevisionName"] = readyName;
        }

        status["url"] = $"http://{name}.{ns}.example.com";
        status["address"] = new JsonObject { ["url"] = $"http://{name}.{ns}.svc.cluster.local" };

        // Until the route can be programmed with the new targets, the ingress keeps the old ones.
        if ((traffic ?? previous?["traffic"]?.DeepClone()) is { } published)
        {
            status["traffic"] = published;
        }

        ctx.WriteStatus(Services, ns, service, status);
    }

    public void ReconcileRevision(string ns, string name)
    {
        var revision = ctx.TryGet(Revisions, ns, name);
        if (revision is null || KubeJson.IsDeleting(revision))
        {
            return;
        }

        var deployment = ctx.TryGet(BuiltInResources.Deployments, ns, name + "-deployment")
            ?? ctx.CreateOwned(BuiltInResources.Deployments, ns, NewDeployment(revision), Revisions, revision);
        if (deployment is null ||
            (ctx.TryGet(BuiltInResources.Services, ns, name + "-private") is null &&
             ctx.CreateOwned(BuiltInResources.Services, ns, PrivateService(revision), Revisions, revision) is null))
        {
            return;
        }

        var (resources, containers) = Health(revision, deployment);
        var deploymentStatus = deployment["status"];
        var status = new JsonObject
        {
            ["observedGeneration"] = KubeJson.Generation(revision),
            ["conditions"] = KnativeCondition.Write(revision["status"] as JsonObject, ctx.NowStamp, ("ResourcesAvailable", resources), ("ContainerHealthy", containers), ("Ready", KnativeCondition.Summary(containers, resources))),
            ["actualReplicas"] = KubeJson.Int(deploymentStatus?["readyReplicas"]),
            ["desiredReplicas"] = KubeJson.Int(deployment["spec"]?["replicas"], 1),
        };
        ctx.WriteStatus(Revisions, ns, revision, status);
    }

    private static int ConfigurationGeneration(JsonObject revision) =>
        int.TryParse(KubeJson.Label(revision, ConfigurationGenerationLabel), NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : 0;

    private static string ReadyMessage(JsonObject revision) =>
        revision["status"] is JsonObject s && Conditions.Get(s, "Ready") is { } c ? KubeJson.Str(c, "message") ?? string.Empty : string.Empty;

    // ResourcesAvailable and ContainerHealthy from the Deployment, as Knative propagates its status.
    private static (KnativeCondition Resources, KnativeCondition Containers) Health(JsonObject revision, JsonObject deployment)
    {
        var deploymentName = KubeJson.Name(deployment);
        if (KubeJson.ControllerUid(deployment) != KubeJson.Uid(revision))
        {
            var message = $"There is an existing Deployment \"{deploymentName}\" that we do not own.";
            return (KnativeCondition.Failed("NotOwned", message), KnativeCondition.Waiting("NotOwned", message));
        }

        var status = deployment["status"] as JsonObject ?? [];
        if (Math.Max(KubeJson.Int(status["readyReplicas"]), KubeJson.Int(status["availableReplicas"])) > 0)
        {
            return (KnativeCondition.Ok, KnativeCondition.Ok);
        }

        var pods = KubeJson.Int(status["replicas"]);
        var neverReady = string.Equals(KubeJson.Annotation(revision, SandboxAnnotations.NeverReady), "true", StringComparison.OrdinalIgnoreCase)
            ? $" ({SandboxAnnotations.NeverReady}: they never will)"
            : string.Empty;
        var containers = pods == 0
            ? KnativeCondition.Waiting("Deploying", $"Waiting for the pods of Deployment \"{deploymentName}\" to start.")
            : KnativeCondition.Waiting("ContainersNotReady", string.Create(CultureInfo.InvariantCulture, $"{pods} pod(s) running, none ready{neverReady}."));
        var progressing = Conditions.Get(status, DeploymentStatusCalculator.Progressing);
        return progressing is not null && KubeJson.Str(progressing, "status") == "False" && KubeJson.Str(progressing, "reason") == DeploymentStatusCalculator.ProgressDeadlineExceeded
            ? (KnativeCondition.Failed(DeploymentStatusCalculator.ProgressDeadlineExceeded, KubeJson.Str(progressing, "message") ?? string.Empty), containers)
            : (KnativeCondition.Waiting("Deploying", $"Deployment \"{deploymentName}\" has no ready pod yet."), containers);
    }

    private static JsonObject NewRevision(JsonObject service, JsonObject template, string hash, int generation)
    {
        var name = KubeJson.Name(service);
        var metadata = template["metadata"] as JsonObject;
        var labels = KubeJson.CloneObject(metadata?["labels"]);
        labels[ServiceLabel] = name;
        labels[ConfigurationLabel] = name;
        labels[ConfigurationGenerationLabel] = generation.ToString(CultureInfo.InvariantCulture);
        var annotations = KubeJson.CloneObject(metadata?["annotations"]);
        annotations[TemplateHashAnnotation] = hash;
        return new JsonObject
        {
            ["apiVersion"] = Group + "/v1",
            ["kind"] = "Revision",
            ["metadata"] = new JsonObject
            {
                ["name"] = string.Create(CultureInfo.InvariantCulture, $"{name}-{generation:D5}"),
                ["labels"] = labels,
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(KubeJson.OwnerReference(service)),
            },
            ["spec"] = KubeJson.CloneObject(template["spec"]),
        };
    }

    // The pods carry the template's annotations, so the sandbox behaviour annotations apply per revision.
    private static JsonObject NewDeployment(JsonObject revision)
    {
        var name = KubeJson.Name(revision);
        var labels = KubeJson.CloneObject(revision["metadata"]?["labels"]);
        labels[RevisionLabel] = name;
        var annotations = KubeJson.CloneObject(revision["metadata"]?["annotations"]);
        annotations.Remove(TemplateHashAnnotation);
        var podSpec = KubeJson.CloneObject(revision["spec"]);
        foreach (var field in RevisionOnlyFields)
        {
            podSpec.Remove(field);
        }

        var containers = KubeJson.Objects(podSpec["containers"]).ToList();
        for (var i = 0; i < containers.Count; i++)
        {
            if (string.IsNullOrEmpty(KubeJson.Str(containers[i], "name")))
            {
                containers[i]["name"] = containers.Count == 1 ? "user-container" : string.Create(CultureInfo.InvariantCulture, $"user-container-{i}");
            }
        }

        var templateMetadata = new JsonObject { ["labels"] = labels.DeepClone() };
        if (annotations.Count > 0)
        {
            templateMetadata["annotations"] = annotations;
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject
            {
                ["name"] = name + "-deployment",
                ["labels"] = labels,
                ["ownerReferences"] = new JsonArray(KubeJson.OwnerReference(revision)),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = Replicas(revision),
                ["progressDeadlineSeconds"] = ProgressDeadlineSeconds(revision),
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [RevisionLabel] = name } },
                ["template"] = new JsonObject { ["metadata"] = templateMetadata, ["spec"] = podSpec },
            },
        };
    }

    // Port 80 straight to the user container (there is no queue-proxy in between here).
    private static JsonObject PrivateService(JsonObject revision)
    {
        var name = KubeJson.Name(revision);
        var labels = new JsonObject { [RevisionLabel] = name, ["networking.internal.knative.dev/serviceType"] = "Private" };
        foreach (var key in new[] { ServiceLabel, ConfigurationLabel })
        {
            if (KubeJson.Label(revision, key) is { } value)
            {
                labels[key] = value;
            }
        }

        var firstPort = KubeJson.Objects(KubeJson.Objects(revision["spec"]?["containers"]).FirstOrDefault()?["ports"]).FirstOrDefault()?["containerPort"];
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject
            {
                ["name"] = name + "-private",
                ["labels"] = labels,
                ["ownerReferences"] = new JsonArray(KubeJson.OwnerReference(revision)),
            },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { [RevisionLabel] = name },
                ["ports"] = new JsonArray(new JsonObject
                {
                    ["name"] = "http",
                    ["port"] = 80,
                    ["targetPort"] = KubeJson.Int(firstPort, DefaultUserPort),
                    ["protocol"] = "TCP",
                }),
            },
        };
    }

    // No autoscaler runs, so a revision keeps its minimum scale, and at least one pod (no scale to zero).
    private static int Replicas(JsonObject revision) =>
        int.TryParse(KubeJson.Annotation(revision, MinScaleAnnotation) ?? KubeJson.Annotation(revision, LegacyMinScaleAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            ? Math.Max(1, min)
            : 1;

    private static int ProgressDeadlineSeconds(JsonObject revision) =>
        GoDuration.TryParse(KubeJson.Annotation(revision, ProgressDeadlineAnnotation), out var deadline) && deadline > TimeSpan.Zero
            ? (int)Math.Ceiling(deadline.TotalSeconds)
            : DefaultProgressDeadlineSeconds;
}
