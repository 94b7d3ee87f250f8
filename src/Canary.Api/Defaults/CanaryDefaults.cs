using Canary.Api.Durations;
using Canary.Api.V1Beta1;

namespace Canary.Api.Defaults;

/// <summary>
/// Every default of the canary.dev API in one place. Defaults are never written into the user's object (round trips stay
/// exact); callers read effective values through <see cref="Resolve(CanarySpec)"/> and the extension methods in
/// <see cref="EffectiveValues"/>.
/// </summary>
public static class CanaryDefaults
{
    /// <summary>analysis.interval when omitted or unparsable (Flagger: 60s).</summary>
    public static readonly TimeSpan AnalysisInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Smallest analysis.interval accepted. Flagger silently raises anything under 10s to 10s; we reject intervals under
    /// 1s in validation instead and otherwise honour the value, so short sandbox/demo intervals work and nothing is
    /// changed behind the user's back.
    /// </summary>
    public static readonly TimeSpan MinimumAnalysisInterval = TimeSpan.FromSeconds(1);

    /// <summary>analysis.threshold when omitted or not positive.</summary>
    public const int Threshold = 1;

    /// <summary>analysis.maxWeight when omitted (and no stepWeights).</summary>
    public const int MaxWeight = 100;

    /// <summary>spec.progressDeadlineSeconds when omitted.</summary>
    public const int ProgressDeadlineSeconds = 600;

    /// <summary>analysis.primaryReadyThreshold / canaryReadyThreshold when omitted (percent of available replicas).</summary>
    public const int ReadyThreshold = 100;

    /// <summary>Timeout of a webhook call when omitted.</summary>
    public static readonly TimeSpan WebhookTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Query window of a metric when omitted.</summary>
    public static readonly TimeSpan MetricInterval = TimeSpan.FromMinutes(1);

    /// <summary>service.portName when omitted.</summary>
    public const string PortName = "http";

    /// <summary>spec.revertOnDeletion when omitted. True here (Flagger: false): deleting a Canary should not strand traffic.</summary>
    public const bool RevertOnDeletion = true;

    /// <summary>Max-Age of session affinity cookies when omitted, in seconds.</summary>
    public const int SessionAffinityMaxAgeSeconds = 86400;

    /// <summary>Alert provider channel when omitted.</summary>
    public const string AlertChannel = "general";

    /// <summary>Alert provider user name when omitted (Flagger: flagger).</summary>
    public const string AlertUsername = "canary";

    /// <summary>Webhook type when the type is empty or omitted.</summary>
    public const string WebhookType = WebhookTypes.Rollout;

    /// <summary>Resolves every effective value of <paramref name="spec"/> without modifying it.</summary>
    public static EffectiveCanary Resolve(CanarySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var analysis = spec.EffectiveAnalysis();
        return new EffectiveCanary(
            spec.TargetRef?.Name ?? string.Empty,
            ResolveService(spec),
            analysis is null ? EffectiveAnalysis.None : ResolveAnalysis(analysis),
            spec.EffectiveProgressDeadline(),
            spec.SkipAnalysis == true || analysis is null,
            spec.RevertOnDeletion ?? RevertOnDeletion,
            spec.Suspend ?? false);
    }

    private static EffectiveService ResolveService(CanarySpec spec)
    {
        var service = spec.Service;
        var name = string.IsNullOrEmpty(service?.Name) ? spec.TargetRef?.Name ?? string.Empty : service.Name;
        var port = service?.Port ?? 0;
        var targetPort = service?.TargetPort?.Value is { Length: > 0 } tp ? tp : port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new EffectiveService(name, port, string.IsNullOrEmpty(service?.PortName) ? PortName : service.PortName, targetPort);
    }

    private static EffectiveAnalysis ResolveAnalysis(CanaryAnalysis analysis) => new(
        analysis.EffectiveInterval(),
        analysis.EffectiveThreshold(),
        analysis.EffectiveStrategy(),
        analysis.EffectiveStepWeights(),
        analysis.EffectiveMaxWeight(),
        analysis.StepWeightPromotion is > 0 ? analysis.StepWeightPromotion.Value : 0,
        analysis.Iterations is > 0 ? analysis.Iterations.Value : 0,
        analysis.Mirror ?? false,
        analysis.MirrorWeight,
        analysis.PrimaryReadyThreshold ?? ReadyThreshold,
        analysis.CanaryReadyThreshold ?? ReadyThreshold)
    {
        Judge = EffectiveJudge.For(analysis),
        SessionAffinityCookieName = string.IsNullOrEmpty(analysis.SessionAffinity?.CookieName) ? null : analysis.SessionAffinity.CookieName,
        PrimarySessionAffinityCookieName = string.IsNullOrEmpty(analysis.SessionAffinity?.PrimaryCookieName) ? null : analysis.SessionAffinity.PrimaryCookieName,
    };
}
