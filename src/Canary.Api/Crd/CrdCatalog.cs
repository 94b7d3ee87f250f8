using Canary.Api.V1Beta1;

namespace Canary.Api.Crd;

/// <summary>The CRDs of the canary.dev API, with Flagger's printer columns.</summary>
public static class CrdCatalog
{
    /// <summary>Canary: status, weight and failed checks by default; analysis settings with <c>-o wide</c>.</summary>
    public static CrdDefinition Canaries { get; } = new(typeof(V1Beta1.Canary), V1Beta1.Canary.KubeKind, V1Beta1.Canary.KubePluralName,
    [
        new("Status", "string", ".status.phase"),
        new("Weight", "integer", ".status.canaryWeight"),
        new("FailedChecks", "integer", ".status.failedChecks"),
        new("Suspended", "boolean", ".spec.suspend", 1),
        new("Interval", "string", ".spec.analysis.interval", 1),
        new("Mirror", "boolean", ".spec.analysis.mirror", 1),
        new("StepWeight", "integer", ".spec.analysis.stepWeight", 1),
        new("StepWeights", "string", ".spec.analysis.stepWeights", 1),
        new("MaxWeight", "integer", ".spec.analysis.maxWeight", 1),
        new("LastTransitionTime", "string", ".status.lastTransitionTime"),
        new("Age", "date", ".metadata.creationTimestamp"),
    ]);

    /// <summary>MetricTemplate: its provider type.</summary>
    public static CrdDefinition MetricTemplates { get; } = new(typeof(MetricTemplate), MetricTemplate.KubeKind, MetricTemplate.KubePluralName,
    [
        new("Provider", "string", ".spec.provider.type"),
        new("Age", "date", ".metadata.creationTimestamp"),
    ]);

    /// <summary>AlertProvider: its type.</summary>
    public static CrdDefinition AlertProviders { get; } = new(typeof(AlertProvider), AlertProvider.KubeKind, AlertProvider.KubePluralName,
    [
        new("Type", "string", ".spec.type"),
        new("Age", "date", ".metadata.creationTimestamp"),
    ]);

    /// <summary>CanaryRequest: the Canary, the action and what became of it.</summary>
    public static CrdDefinition CanaryRequests { get; } = new(typeof(CanaryRequest), CanaryRequest.KubeKind, CanaryRequest.KubePluralName,
    [
        new("Canary", "string", ".spec.canary"),
        new("Action", "string", ".spec.action"),
        new("Result", "string", ".status.result"),
        new("Message", "string", ".status.message", 1),
        new("Age", "date", ".metadata.creationTimestamp"),
    ]);

    /// <summary>Every CRD, in file-name order.</summary>
    public static IReadOnlyList<CrdDefinition> All { get; } = [AlertProviders, Canaries, CanaryRequests, MetricTemplates];
}
