namespace Canary.Sandbox.Workloads.Internal;

/// <summary>The kinds the simulator reconciles.</summary>
internal enum WorkKind
{
    Pod,
    ReplicaSet,
    Deployment,
    DaemonSet,
    HorizontalPodAutoscaler,
    KnativeService,
    KnativeRevision,
}

/// <summary>One object to reconcile; keys are deduplicated while queued, as in a controller work queue.</summary>
internal readonly record struct WorkKey(WorkKind Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
