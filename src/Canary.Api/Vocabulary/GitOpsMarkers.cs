namespace Canary.Api.Vocabulary;

/// <summary>
/// The annotations that keep Flux away from the objects the controller generates or takes over (Flagger's rule): with
/// them, kustomize-controller skips the object and helm-controller's drift detection ignores it, so neither puts back
/// the selector, weights or spec the controller wrote.
/// </summary>
public static class GitOpsMarkers
{
    /// <summary>kustomize-controller skips (never applies, never prunes) an object carrying it.</summary>
    public const string KustomizeReconcile = "kustomize.toolkit.fluxcd.io/reconcile";

    /// <summary>helm-controller leaves the object out of drift correction.</summary>
    public const string HelmDriftDetection = "helm.toolkit.fluxcd.io/driftDetection";

    /// <summary>The value of both.</summary>
    public const string Disabled = "disabled";

    /// <summary>
    /// On a user's object the controller took over (the apex Service): the markers it added, comma-separated, so it
    /// removes only those when it gives the object back and Flux manages it again.
    /// </summary>
    public const string AddedAnnotation = "canary.dev/gitops-markers-added";

    /// <summary>Both keys.</summary>
    public static IReadOnlyList<string> Keys { get; } = [KustomizeReconcile, HelmDriftDetection];

    /// <summary><paramref name="annotations"/> with both markers set (the same dictionary, for chaining).</summary>
    public static Dictionary<string, string> AddTo(Dictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        foreach (var key in Keys)
        {
            annotations[key] = Disabled;
        }

        return annotations;
    }
}
