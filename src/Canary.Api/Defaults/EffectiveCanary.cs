namespace Canary.Api.Defaults;

/// <summary>A Canary spec with every default applied: what the controller actually does.</summary>
/// <param name="TargetName">Name of the target workload.</param>
/// <param name="Service">Effective service settings.</param>
/// <param name="Analysis">Effective analysis settings (<see cref="EffectiveAnalysis.None"/> when no analysis is set).</param>
/// <param name="ProgressDeadline">Time the primary and canary may take to become ready.</param>
/// <param name="SkipAnalysis">True when skipAnalysis is set or no analysis is defined: promote without checks.</param>
/// <param name="RevertOnDeletion">Revert the target and routing when the Canary is deleted.</param>
/// <param name="Suspend">Reconciliation is paused.</param>
public sealed record EffectiveCanary(
    string TargetName,
    EffectiveService Service,
    EffectiveAnalysis Analysis,
    TimeSpan ProgressDeadline,
    bool SkipAnalysis,
    bool RevertOnDeletion,
    bool Suspend);

/// <summary>Effective service settings.</summary>
/// <param name="Name">Apex Service name (service.name or the target name).</param>
/// <param name="Port">Service port (0 when missing; validation rejects that).</param>
/// <param name="PortName">Service port name.</param>
/// <param name="TargetPort">Container port number or name.</param>
public sealed record EffectiveService(string Name, int Port, string PortName, string TargetPort)
{
    /// <summary>Name of the Service selecting the primary pods.</summary>
    public string PrimaryName => Name + V1Beta1.CanaryApi.PrimarySuffix;

    /// <summary>Name of the Service selecting the canary (target) pods.</summary>
    public string CanaryName => $"{Name}-canary";
}

/// <summary>Effective analysis settings.</summary>
/// <param name="Interval">Time between analysis steps.</param>
/// <param name="Threshold">Failed checks tolerated before rollback (at least 1).</param>
/// <param name="Strategy">Derived deployment strategy.</param>
/// <param name="StepWeights">Canary weights of successive steps (canary strategy), ending at <paramref name="MaxWeight"/>.</param>
/// <param name="MaxWeight">Highest canary weight before promotion.</param>
/// <param name="StepWeightPromotion">Primary weight step during promotion; 0 means all at once.</param>
/// <param name="Iterations">Iterations of A/B testing or blue/green.</param>
/// <param name="Mirror">Traffic mirroring enabled.</param>
/// <param name="MirrorWeight">Percentage mirrored, or null for all.</param>
/// <param name="PrimaryReadyThreshold">Percent of primary replicas that must be available.</param>
/// <param name="CanaryReadyThreshold">Percent of canary replicas that must be available.</param>
public sealed record EffectiveAnalysis(
    TimeSpan Interval,
    int Threshold,
    DeploymentStrategy Strategy,
    IReadOnlyList<int> StepWeights,
    int MaxWeight,
    int StepWeightPromotion,
    int Iterations,
    bool Mirror,
    int? MirrorWeight,
    int PrimaryReadyThreshold,
    int CanaryReadyThreshold)
{
    /// <summary>The statistical judge's settings, or null when analysis.judge is not set (Flagger's absolute checks).</summary>
    public EffectiveJudge? Judge { get; init; }

    /// <summary>analysis.sessionAffinity.cookieName, or null when session affinity is not set.</summary>
    public string? SessionAffinityCookieName { get; init; }

    /// <summary>analysis.sessionAffinity.primaryCookieName, or null when not set (no primary cookie).</summary>
    public string? PrimarySessionAffinityCookieName { get; init; }

    /// <summary>The analysis used when a Canary defines none (it is then promoted without checks).</summary>
    public static EffectiveAnalysis None { get; } = new(
        CanaryDefaults.AnalysisInterval, CanaryDefaults.Threshold, DeploymentStrategy.Canary, [], CanaryDefaults.MaxWeight, 0, 0, false, null,
        CanaryDefaults.ReadyThreshold, CanaryDefaults.ReadyThreshold);
}
