namespace Canary.Views;

/// <summary>
/// Everything <c>kubectl canary status</c>, <c>watch</c> and the dashboard's Canary page show about one Canary, built
/// purely from the Canary, its Events and its workloads' images at one instant (<see cref="CanaryScreenBuilder"/>);
/// printed as text by the CLI, as JSON/YAML, or drawn by the dashboard.
/// </summary>
public sealed record CanaryScreen
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>canary, blue-green or ab-testing (as the controller plans it).</summary>
    public required string Strategy { get; init; }

    /// <summary>spec.provider (null: the controller's default).</summary>
    public string? Provider { get; init; }

    public required WorkloadView Target { get; init; }

    public required WorkloadView Primary { get; init; }

    /// <summary>status.phase ("" before the first reconcile).</summary>
    public required string Phase { get; init; }

    public bool Paused { get; init; }

    /// <summary>A promote control waiting to be carried out: Gated or Forced.</summary>
    public string? RequestedPromotion { get; init; }

    public bool SkipAnalysisOnce { get; init; }

    public int Weight { get; init; }

    /// <summary>Weight at which the canary is promoted (canary strategy).</summary>
    public int MaxWeight { get; init; }

    /// <summary>The step (canary) or iteration (blue/green, A/B) reached, of <see cref="Steps"/>.</summary>
    public int Step { get; init; }

    public int Steps { get; init; }

    public int FailedChecks { get; init; }

    /// <summary>Failed checks before rollback.</summary>
    public int Threshold { get; init; }

    public DateTime? LastTransitionTime { get; init; }

    public IReadOnlyList<TimelineView> Timeline { get; init; } = [];

    public IReadOnlyList<CheckView> Checks { get; init; } = [];

    public IReadOnlyList<WebhookView> Webhooks { get; init; } = [];

    public IReadOnlyList<ControlView> Controls { get; init; } = [];

    /// <summary>The last Events of the Canary, oldest first.</summary>
    public IReadOnlyList<EventView> Events { get; init; } = [];
}

/// <summary>The target or the primary: its workload, the revision it runs and, when readable, its images.</summary>
public sealed record WorkloadView(string Kind, string Name, string? Revision, IReadOnlyList<string>? Images);

/// <summary>One step of the rollout (status.timeline).</summary>
public sealed record TimelineView(DateTime? Time, string? Phase, int? Weight, int? Iterations);

/// <summary>One metric check: the canary's value against its threshold range or the primary's value.</summary>
public sealed record CheckView(
    DateTime? Time, string? Metric, int? Weight, double? CanaryValue, double? PrimaryValue, double? ThresholdMin, double? ThresholdMax,
    string? Verdict, string? Message);

/// <summary>A webhook's last answer.</summary>
public sealed record WebhookView(DateTime? Time, string? Name, string? Type, bool? Passed, string? Message);

/// <summary>A handled control request.</summary>
public sealed record ControlView(
    DateTime? RequestedTime, DateTime? HandledTime, string? Request, string? Action, bool? Force, string? Reason, string? Result, string? Message);

/// <summary>One Event of the Canary.</summary>
public sealed record EventView(DateTime? Time, string? Type, string? Reason, string? Message, int? Count);
