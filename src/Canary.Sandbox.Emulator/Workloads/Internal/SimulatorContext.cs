using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Selectors;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.Json;

namespace Canary.Sandbox.Workloads.Internal;

/// <summary>What every reconciler shares: the store, the clock, the options and the way to come back later.</summary>
internal sealed class SimulatorContext(ObjectStore store, TimeProvider time, WorkloadSimulatorOptions options, Action<WorkKey, DateTimeOffset> requeueAt)
{
    public ObjectStore Store { get; } = store;

    public TimeProvider Time { get; } = time;

    public WorkloadSimulatorOptions Options { get; } = options;

    public DateTimeOffset Now => Time.GetUtcNow();

    public string NowStamp => KubeJson.Timestamp(Now);

    public void RequeueAt(WorkKey key, DateTimeOffset at) => requeueAt(key, at);

    public JsonObject? TryGet(GroupVersionResource gvr, string ns, string name, string? subresource = null)
    {
        try
        {
            return Store.Get(gvr, ns, name, subresource);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>Live (not deleting) objects whose controller owner is <paramref name="ownerUid"/>, narrowed by the owner's selector.</summary>
    public List<JsonObject> ListOwned(GroupVersionResource gvr, string ns, string ownerUid, JsonNode? selector)
    {
        var labelSelector = selector is JsonObject s ? LabelSelector.FromObject(s).ToString() : null;
        return Store.List(gvr, ns, new ListOptions { LabelSelector = labelSelector }).Items
            .Where(o => KubeJson.ControllerUid(o) == ownerUid && !KubeJson.IsDeleting(o))
            .ToList();
    }

    /// <summary>
    /// Creates a dependent, then undoes it if its owner went away meanwhile: the store only collects dependents when
    /// an owner is removed, so one created just after would otherwise be orphaned for good.
    /// </summary>
    public JsonObject? CreateOwned(GroupVersionResource gvr, string ns, JsonObject obj, GroupVersionResource ownerGvr, JsonObject owner)
    {
        var created = Store.Create(gvr, ns, obj);
        var live = TryGet(ownerGvr, ns, KubeJson.Name(owner));
        if (live is not null && KubeJson.Uid(live) == KubeJson.Uid(owner) && !KubeJson.IsDeleting(live))
        {
            return created;
        }

        TryDelete(gvr, ns, KubeJson.Name(created));
        return null;
    }

    public void TryDelete(GroupVersionResource gvr, string ns, string name)
    {
        try
        {
            Store.Delete(gvr, ns, name);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Already gone: the goal is reached.
        }
    }

    /// <summary>Writes status through the status subresource when it differs; a concurrent change surfaces as 409 and a retry.</summary>
    public JsonObject WriteStatus(GroupVersionResource gvr, string ns, JsonObject current, JsonObject status)
    {
        if (JsonNode.DeepEquals(current["status"], status))
        {
            return current;
        }

        var next = (JsonObject)current.DeepClone();
        next["status"] = status;
        return Store.Update(gvr, ns, next, "status");
    }
}
