using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Json;
using Canary.Sandbox.Workloads.Internal;

namespace Canary.Sandbox.Workloads.Controllers;

/// <summary>
/// Stands in for the scheduler and the kubelet: binds a pod to a simulated node, starts it (Running, pod IP) and marks
/// it Ready once its ready delay has passed, per the pod's sandbox annotations. Pods never run real containers.
/// </summary>
internal sealed class KubeletSimulator(SimulatorContext ctx)
{
    private static readonly GroupVersionResource Pods = BuiltInResources.Pods;

    // When each started pod is due to become ready, by uid; remembered so a precise delay is kept (timestamps are whole seconds).
    private readonly ConcurrentDictionary<string, DateTimeOffset> _readyAt = new(StringComparer.Ordinal);
    private int _nextIp;
    private int _nextNode;

    public static string NodeName(int index) => string.Create(CultureInfo.InvariantCulture, $"sandbox-node-{index + 1}");

    public static string NodeIp(string nodeName) =>
        int.TryParse(nodeName.AsSpan(nodeName.LastIndexOf('-') + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? string.Create(CultureInfo.InvariantCulture, $"10.0.0.{(n % 250) + 1}")
            : "10.0.0.254";

    public static bool IsReady(JsonObject pod) =>
        pod["status"] is JsonObject s && Conditions.Get(s, "Ready") is { } c && KubeJson.Str(c, "status") == "True";

    public void Forget(string uid) => _readyAt.TryRemove(uid, out _);

    public void Reconcile(string ns, string name)
    {
        var pod = ctx.TryGet(Pods, ns, name);
        if (pod is null || KubeJson.IsDeleting(pod) || KubeJson.Str(pod["status"], "phase") is "Succeeded" or "Failed")
        {
            return;
        }

        var spec = KubeJson.Child(pod, "spec");
        if (string.IsNullOrEmpty(KubeJson.Str(spec, "nodeName")))
        {
            // The scheduler's binding, as a plain update (the store has no binding subresource).
            spec["nodeName"] = NodeName(Interlocked.Increment(ref _nextNode) % Math.Max(1, ctx.Options.NodeCount));
            pod = ctx.Store.Update(Pods, ns, pod);
        }

        var delay = ReadyDelay(pod);
        var uid = KubeJson.Uid(pod);
        var status = pod["status"] as JsonObject;
        if (KubeJson.Str(status, "podIP") is null)
        {
            var due = ctx.Now + (delay ?? TimeSpan.Zero);
            _readyAt[uid] = due;
            var ready = delay is { } d && d <= TimeSpan.Zero;
            ctx.WriteStatus(Pods, ns, pod, StartedStatus(pod, ready));
            if (delay is not null && !ready)
            {
                ctx.RequeueAt(new WorkKey(WorkKind.Pod, ns, name), due);
            }

            return;
        }

        var isReady = IsReady(pod);
        if (delay is null)
        {
            // Annotated never-ready after it started: it drops out of readiness, as a failing probe would make it.
            if (isReady)
            {
                ctx.WriteStatus(Pods, ns, pod, WithReadiness(status!, false));
            }

            return;
        }

        if (isReady)
        {
            return;
        }

        var when = _readyAt.GetOrAdd(uid, _ => (KubeJson.ParseTimestamp(KubeJson.Str(status, "startTime")) ?? ctx.Now) + delay.Value);
        if (when <= ctx.Now)
        {
            ctx.WriteStatus(Pods, ns, pod, WithReadiness(status!, true));
        }
        else
        {
            ctx.RequeueAt(new WorkKey(WorkKind.Pod, ns, name), when);
        }
    }

    /// <summary>The pod's ready delay from its annotations; null means never.</summary>
    private TimeSpan? ReadyDelay(JsonObject pod)
    {
        if (string.Equals(KubeJson.Annotation(pod, SandboxAnnotations.NeverReady), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return GoDuration.TryParse(KubeJson.Annotation(pod, SandboxAnnotations.ReadyAfter), out var after) ? after : ctx.Options.ReadyDelay;
    }

    private JsonObject StartedStatus(JsonObject pod, bool ready)
    {
        var now = ctx.NowStamp;
        var n = Interlocked.Increment(ref _nextIp);
        var ip = string.Create(CultureInfo.InvariantCulture, $"10.244.{(n / 250) % 256}.{(n % 250) + 1}");
        var hostIp = NodeIp(KubeJson.Str(pod["spec"], "nodeName") ?? string.Empty);
        var containers = new JsonArray();
        var names = string.Join(' ', (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().Select(c => KubeJson.Str(c, "name")) ?? []);
        foreach (var c in (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            containers.Add(new JsonObject
            {
                ["name"] = KubeJson.Str(c, "name"),
                ["image"] = KubeJson.Str(c, "image"),
                ["imageID"] = string.Empty,
                ["containerID"] = "containerd://" + Guid.NewGuid().ToString("N"),
                ["ready"] = ready,
                ["started"] = true,
                ["restartCount"] = 0,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
            });
        }

        var status = new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JsonArray(
                PodCondition("PodReadyToStartContainers", true, now, names),
                PodCondition("Initialized", true, now, names),
                PodCondition("Ready", ready, now, names),
                PodCondition("ContainersReady", ready, now, names),
                PodCondition("PodScheduled", true, now, names)),
            ["hostIP"] = hostIp,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = hostIp }),
            ["podIP"] = ip,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip }),
            ["startTime"] = now,
            ["containerStatuses"] = containers,
            ["qosClass"] = "BestEffort",
        };
        return status;
    }

    private JsonObject WithReadiness(JsonObject current, bool ready)
    {
        var status = (JsonObject)current.DeepClone();
        var now = ctx.NowStamp;
        var names = string.Join(' ', (status["containerStatuses"] as JsonArray)?.OfType<JsonObject>().Select(c => KubeJson.Str(c, "name")) ?? []);
        foreach (var type in new[] { "Ready", "ContainersReady" })
        {
            var condition = PodCondition(type, ready, now, names);
            var index = (status["conditions"] as JsonArray)?.OfType<JsonObject>().ToList().FindIndex(c => KubeJson.Str(c, "type") == type) ?? -1;
            if (index >= 0)
            {
                ((JsonArray)status["conditions"]!)[index] = condition;
            }
            else
            {
                Conditions.Replace(status, condition);
            }
        }

        foreach (var c in (status["containerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            c["ready"] = ready;
        }

        return status;
    }

    private static JsonObject PodCondition(string type, bool value, string now, string containerNames)
    {
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = value ? "True" : "False",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = now,
        };
        if (!value && type is "Ready" or "ContainersReady")
        {
            condition["reason"] = "ContainersNotReady";
            condition["message"] = $"containers with unready status: [{containerNames}]";
        }

        return condition;
    }
}
