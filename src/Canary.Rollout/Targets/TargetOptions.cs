namespace Canary.Rollout.Targets;

/// <summary>Controller-wide settings of target handling (Flagger's flags of the same meaning).</summary>
public sealed class TargetOptions
{
    /// <summary>Label keys tried, in order, to find the target's pod selector (Flagger's <c>-selector-labels</c>).</summary>
    public IList<string> SelectorLabels { get; } = ["app", "name", "app.kubernetes.io/name"];

    /// <summary>Track ConfigMaps/Secrets used by the target (Flagger's <c>-enable-config-tracking</c>, default true).</summary>
    public bool EnableConfigTracking { get; set; } = true;

    /// <summary>
    /// Label and annotation key prefixes copied to the primary and its copies (Flagger's <c>-include-label-prefix</c>;
    /// <c>*</c>, the default here, copies all).
    /// </summary>
    public IList<string> IncludeLabelPrefix { get; } = ["*"];

    /// <summary>The copy rule of <see cref="IncludeLabelPrefix"/>.</summary>
    public CopiedMetadata CopiedMetadata => new(IncludeLabelPrefix);
}
