namespace Canary.Cli.Commands.Offline.Plan;

/// <summary>What the controller will do with one Canary when its target changes (the <c>plan</c> command's output).</summary>
internal sealed record CanaryPlan
{
    /// <summary>The file the Canary was read from.</summary>
    public required string File { get; init; }

    /// <summary>1-based document of the Canary in its file.</summary>
    public required int Document { get; init; }

    /// <summary>metadata.name.</summary>
    public required string Name { get; init; }

    /// <summary>metadata.namespace (default when not set).</summary>
    public required string Namespace { get; init; }

    /// <summary>Every field path the controller's validation refuses; when any, nothing else is planned.</summary>
    public IReadOnlyList<PlanError> Errors { get; init; } = [];

    /// <summary>The traffic provider the controller will use.</summary>
    public string? Provider { get; init; }

    /// <summary>Where the provider comes from: spec.provider or the controller's --mesh-provider.</summary>
    public string? ProviderFrom { get; init; }

    /// <summary>The target's kind (Deployment, DaemonSet, Service, Service.serving.knative.dev).</summary>
    public string? TargetKind { get; init; }

    /// <summary>The target, <c>kind/name</c>.</summary>
    public string? Target { get; init; }

    /// <summary>canary, ab-testing or blue-green, after the provider and the target kind are taken into account.</summary>
    public string? Strategy { get; init; }

    /// <summary>False when the provider cannot move traffic (kubernetes): the apex Service always selects the primary.</summary>
    public bool RoutesTraffic { get; init; }

    /// <summary>True when no analysis runs (skipAnalysis, or no analysis at all): the release is promoted at once.</summary>
    public bool SkipAnalysis { get; init; }

    /// <summary>Time between two ticks of the analysis.</summary>
    public string? Interval { get; init; }

    /// <summary>Failed checks that roll the release back.</summary>
    public int? Threshold { get; init; }

    /// <summary>Canary weights of the successive steps (canary strategy).</summary>
    public IReadOnlyList<int>? StepWeights { get; init; }

    /// <summary>Iterations (A/B testing, blue/green).</summary>
    public int? Iterations { get; init; }

    /// <summary>Traffic is mirrored to the canary first.</summary>
    public bool Mirror { get; init; }

    /// <summary>Weight moved back to the primary per promotion step (0: all at once).</summary>
    public int StepWeightPromotion { get; init; }

    /// <summary>The metrics checked at every analysis tick.</summary>
    public IReadOnlyList<PlanMetric> Metrics { get; init; } = [];

    /// <summary>The webhooks and when each is called on the earliest timeline.</summary>
    public IReadOnlyList<PlanWebhook> Webhooks { get; init; } = [];

    /// <summary>Every tick of the earliest timeline, from the detection of the new revision to Succeeded.</summary>
    public IReadOnlyList<PlanStep> Steps { get; init; } = [];

    /// <summary>When the release is promoted at the earliest.</summary>
    public PlanPromotion? Promotion { get; init; }

    /// <summary>How soon a bad release is rolled back.</summary>
    public PlanRollback? Rollback { get; init; }

    /// <summary>What looks wrong in the spec, though the controller accepts it.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>A field the controller's validation refuses.</summary>
/// <param name="Field">The field path, as the validator names it.</param>
/// <param name="Message">What is wrong.</param>
internal sealed record PlanError(string Field, string Message);

/// <summary>A metric of the analysis.</summary>
/// <param name="Name">Metric name.</param>
/// <param name="Window">The query window (the metric's interval, default 1m).</param>
/// <param name="Source">built-in, template namespace/name, or query.</param>
internal sealed record PlanMetric(string Name, string Window, string Source);

/// <summary>A webhook and when the earliest timeline calls it.</summary>
/// <param name="Name">Webhook name.</param>
/// <param name="Type">Webhook type (rollout when not set).</param>
/// <param name="At">Times from the start at which it is called (empty: never on this timeline).</param>
/// <param name="Role">What its answer does.</param>
internal sealed record PlanWebhook(string Name, string Type, IReadOnlyList<string> At, string Role);

/// <summary>One tick of the timeline.</summary>
/// <param name="At">Earliest time from the detection of the new revision.</param>
/// <param name="AtSeconds">The same in seconds.</param>
/// <param name="Phase">Phase written by the tick.</param>
/// <param name="Weight">Canary weight after the tick (canary strategy).</param>
/// <param name="Iteration">Iteration after the tick (A/B testing, blue/green).</param>
/// <param name="PrimaryWeight">Primary's share of the traffic after the tick.</param>
/// <param name="CanaryWeight">Canary's share of the traffic after the tick (A/B testing: of the matching requests).</param>
/// <param name="Mirrored">Primary traffic is mirrored to the canary.</param>
/// <param name="Runs">Gates, hooks and metrics the tick runs, as <c>type: names</c>.</param>
/// <param name="Events">The Kubernetes Events the controller records in that tick.</param>
internal sealed record PlanStep(
    string At, double AtSeconds, string Phase, int? Weight, int? Iteration, int PrimaryWeight, int CanaryWeight, bool Mirrored,
    IReadOnlyList<string> Runs, IReadOnlyList<string> Events);

/// <summary>When a release is promoted at the earliest, each time from the detection of the new revision.</summary>
/// <param name="Promoted">The canary's template is copied to the primary.</param>
/// <param name="AllTrafficOnPrimary">All traffic is on the (updated) primary.</param>
/// <param name="Succeeded">The canary is scaled down and the Canary is Succeeded.</param>
internal sealed record PlanPromotion(string Promoted, string AllTrafficOnPrimary, string Succeeded);

/// <summary>How soon a bad release is rolled back.</summary>
/// <param name="FailedChecks">Failed checks that roll back (analysis.threshold).</param>
/// <param name="AfterFirstFailedCheck">From the first failed check to the rollback (null: nothing is checked).</param>
/// <param name="ProgressDeadline">A canary not ready by then is rolled back (progressDeadlineSeconds).</param>
/// <param name="WorstCase">A canary that takes its whole progress deadline to become ready, then fails every check.</param>
/// <param name="LatestFromStart">From the start, when the checks start failing only at the last step.</param>
internal sealed record PlanRollback(int FailedChecks, string? AfterFirstFailedCheck, string ProgressDeadline, string? WorstCase, string? LatestFromStart);
