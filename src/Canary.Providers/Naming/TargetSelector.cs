namespace Canary.Providers.Naming;

/// <summary>
/// The single label that identifies the target's pods (e.g. <c>app: podinfo</c>); primary pods carry the same label
/// with <c>-primary</c> appended to the value.
/// </summary>
/// <param name="Label">Label key, the first of the configured selector labels found in the target's matchLabels.</param>
/// <param name="Value">Label value of the target (canary) pods.</param>
public sealed record TargetSelector(string Label, string Value)
{
    /// <summary>Label value of the primary pods.</summary>
    public string PrimaryValue => Value + CanaryNames.PrimarySuffix;

    /// <summary>Service selector of the target (canary) pods.</summary>
    public Dictionary<string, string> CanaryPods() => new(StringComparer.Ordinal) { [Label] = Value };

    /// <summary>Service selector of the primary pods.</summary>
    public Dictionary<string, string> PrimaryPods() => new(StringComparer.Ordinal) { [Label] = PrimaryValue };
}
