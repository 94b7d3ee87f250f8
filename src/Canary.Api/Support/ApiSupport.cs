using Canary.Api.V1Beta1;

namespace Canary.Api.Support;

/// <summary>
/// What a controller implements, from its registries (traffic providers, targets, autoscalers, metric backends).
/// Validation refuses, by field path, any value the CRD accepts but the controller would otherwise ignore or fail on.
/// </summary>
public sealed record ApiSupport
{
    /// <summary>Implemented traffic providers by every accepted name (aliases included), with what each can do.</summary>
    public required IReadOnlyDictionary<string, ProviderCapabilities> Providers { get; init; }

    /// <summary>The provider used when <c>spec.provider</c> is empty (the controller's <c>--mesh-provider</c>).</summary>
    public string? DefaultProvider { get; init; }

    /// <summary>Implemented targets, by <see cref="V1Beta1.TargetKinds.KeyOf"/> (a kind, or <c>Service.serving.knative.dev</c>).</summary>
    public required IReadOnlyList<string> TargetKinds { get; init; }

    /// <summary>
    /// Implemented target kinds rolled out blue/green-style only (no traffic weights, e.g. DaemonSet): their Canaries
    /// may not set weight fields.
    /// </summary>
    public IReadOnlyList<string> SwitchOnlyTargetKinds { get; init; } = [];

    /// <summary>
    /// Implemented target kinds that are Services (the controller copies them to <c>-primary</c>/<c>-canary</c>
    /// itself): <c>service.name</c> must be the target's name and no autoscaler applies.
    /// </summary>
    public IReadOnlyList<string> ServiceTargetKinds { get; init; } = [];

    /// <summary>
    /// Implemented target kinds an <c>autoscalerRef</c> applies to (workloads with replicas); for the others it is refused.
    /// Null: every kind (API-level checks that know no controller).
    /// </summary>
    public IReadOnlyList<string>? AutoscaledTargetKinds { get; init; }

    /// <summary>Implemented <c>autoscalerRef.kind</c> values.</summary>
    public required IReadOnlyList<string> AutoscalerKinds { get; init; }

    /// <summary>Implemented MetricTemplate <c>spec.provider.type</c> values.</summary>
    public required IReadOnlyList<string> MetricBackends { get; init; }

    /// <summary>Everything the CRDs accept (API-level validation with no controller in view).</summary>
    public static ApiSupport Everything { get; } = new()
    {
        Providers = TrafficProviders.All.ToDictionary(p => p, _ => ProviderCapabilities.All, StringComparer.Ordinal),
        TargetKinds = V1Beta1.TargetKinds.Keys,
        AutoscalerKinds = V1Beta1.AutoscalerKinds.All,
        MetricBackends = MetricProviderTypes.All,
    };

    /// <summary>The capabilities of the provider a spec uses (its own, else the default), or null when not implemented.</summary>
    public ProviderCapabilities? CapabilitiesOf(string? provider) =>
        Providers.TryGetValue(string.IsNullOrEmpty(provider) ? DefaultProvider ?? string.Empty : provider, out var capabilities) ? capabilities : null;

    /// <summary>"a, b, c": a sorted list for messages.</summary>
    public static string List(IEnumerable<string> values) => string.Join(", ", values.Order(StringComparer.Ordinal));
}
