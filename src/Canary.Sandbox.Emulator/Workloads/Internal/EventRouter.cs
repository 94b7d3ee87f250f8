using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Watch;
using Canary.Sandbox.Json;
using Canary.Sandbox.Workloads.Controllers;

namespace Canary.Sandbox.Workloads.Internal;

/// <summary>
/// Turns watch events into work keys: an object's own key plus the keys of whoever reacts to it (a pod's
/// ReplicaSet or DaemonSet, a ReplicaSet's Deployment, the HPAs scaling a Deployment, a Knative revision's Deployment's
/// Revision and Knative Service).
/// </summary>
internal sealed class EventRouter(ReconcileQueue queue, KubeletSimulator kubelet)
{
    // HPA key -> (namespace, kind, name) of its scale target, so a Deployment change finds its HPAs without a list.
    private readonly ConcurrentDictionary<WorkKey, (string Namespace, string Kind, string Name)> _hpaTargets = new();

    public void OnPod(WatchEvent e)
    {
        var (ns, name) = NameOf(e.Value);
        if (e.Type == WatchEventType.Deleted)
        {
            kubelet.Forget(KubeJson.Uid(e.Value));
        }
        else
        {
            queue.Add(new WorkKey(WorkKind.Pod, ns, name));
        }

        switch (KubeJson.Controller(e.Value) is { } owner ? KubeJson.Str(owner, "kind") : null)
        {
            case "ReplicaSet":
                queue.Add(new WorkKey(WorkKind.ReplicaSet, ns, KubeJson.Str(KubeJson.Controller(e.Value), "name")!));
                break;
            case "DaemonSet":
                queue.Add(new WorkKey(WorkKind.DaemonSet, ns, KubeJson.Str(KubeJson.Controller(e.Value), "name")!));
                break;
        }
    }

    public void OnReplicaSet(WatchEvent e)
    {
        var (ns, name) = NameOf(e.Value);
        queue.Add(new WorkKey(WorkKind.ReplicaSet, ns, name));
        if (KubeJson.Controller(e.Value) is { } owner && KubeJson.Str(owner, "kind") == "Deployment")
        {
            queue.Add(new WorkKey(WorkKind.Deployment, ns, KubeJson.Str(owner, "name")!));
        }

        Targets(ns, "ReplicaSet", name);
    }

    public void OnDeployment(WatchEvent e)
    {
        var (ns, name) = NameOf(e.Value);
        queue.Add(new WorkKey(WorkKind.Deployment, ns, name));
        Targets(ns, "Deployment", name);

        // A Knative revision's Deployment: its readiness is the Revision's, and through it the Knative Service's.
        if (KnativeServingController.KnativeOwner(e.Value, "Revision") is { } revision)
        {
            queue.Add(new WorkKey(WorkKind.KnativeRevision, ns, revision));
            if (KubeJson.Label(e.Value, KnativeServingController.ServiceLabel) is { } service)
            {
                queue.Add(new WorkKey(WorkKind.KnativeService, ns, service));
            }
        }
    }

    public void OnKnativeService(WatchEvent e)
    {
        var (ns, name) = NameOf(e.Value);
        queue.Add(new WorkKey(WorkKind.KnativeService, ns, name));
    }

    public void OnKnativeRevision(WatchEvent e)
    {
        var (ns, name) = NameOf(e.Value);
        queue.Add(new WorkKey(WorkKind.KnativeRevision, ns, name));

        // A revision becoming ready (or going away) moves its Service's latest ready revision and traffic.
        if (KnativeServingController.KnativeOwner(e.Value, "Service") is { } service)
        {
            queue.Add(new WorkKey(WorkKind.KnativeService, ns, service));
        }
    }

    public void OnDaemonSet(WatchEvent e)
    {
        var (ns, name) = NameOf(e.Value);
        queue.Add(new WorkKey(WorkKind.DaemonSet, ns, name));
    }

    public void OnHpa(WatchEvent e)
    {
        var (ns, name) = NameOf(e.Value);
        var key = new WorkKey(WorkKind.HorizontalPodAutoscaler, ns, name);
        if (e.Type == WatchEventType.Deleted)
        {
            _hpaTargets.TryRemove(key, out _);
            return;
        }

        var target = e.Value["spec"]?["scaleTargetRef"];
        _hpaTargets[key] = (ns, KubeJson.Str(target, "kind") ?? string.Empty, KubeJson.Str(target, "name") ?? string.Empty);
        queue.Add(key);
    }

    private void Targets(string ns, string kind, string name)
    {
        foreach (var (key, target) in _hpaTargets)
        {
            if (target == (ns, kind, name))
            {
                queue.Add(key);
            }
        }
    }

    private static (string Namespace, string Name) NameOf(JsonObject obj) =>
        (KubeJson.Str(obj["metadata"], "namespace") ?? string.Empty, KubeJson.Name(obj));
}
