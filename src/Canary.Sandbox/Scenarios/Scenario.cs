using Canary.Sandbox.Traffic;

namespace Canary.Sandbox.Scenarios;

/// <summary>What a release should end as, and what it ended as.</summary>
public enum Verdict
{
    /// <summary>The canary is promoted (Canary phase Succeeded).</summary>
    Promote,

    /// <summary>The canary is rolled back (Canary phase Failed).</summary>
    Rollback,
}

/// <summary>How one version's pods answer: the sandbox's pod-template behaviour annotations.</summary>
/// <param name="ErrorRate">Share 0..1 of requests answered 500.</param>
/// <param name="LatencyP50">Median response time.</param>
/// <param name="LatencyP99">99th percentile response time (at least the median).</param>
public sealed record VersionBehavior(double ErrorRate, TimeSpan LatencyP50, TimeSpan LatencyP99)
{
    /// <summary>The baseline of the shipped scenarios: 0.05 % errors, p50 20 ms, p99 100 ms.</summary>
    public static VersionBehavior Baseline { get; } = new(0.0005, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100));
}

/// <summary>A change of either version's behaviour at a time after the release starts (not a new revision).</summary>
/// <param name="At">Scenario time after the new revision is applied.</param>
/// <param name="Primary">What changes on the primary's pods, or null.</param>
/// <param name="Canary">What changes on the canary's pods, or null.</param>
public sealed record BehaviorChange(TimeSpan At, BehaviorOverride? Primary, BehaviorOverride? Canary);

/// <summary>One release to decide, as read from a scenario file (see benchmarks/decisions/README.md).</summary>
public sealed record Scenario
{
    /// <summary>Unique name (lowercase letters, digits and dashes; part of the run's namespace).</summary>
    public required string Name { get; init; }

    /// <summary>One line on what it models.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The right decision.</summary>
    public required Verdict Expect { get; init; }

    /// <summary>Traffic provider as in <c>spec.provider</c> (gatewayapi, istio or nginx).</summary>
    public string Provider { get; init; } = "gatewayapi";

    /// <summary>Requests per second to the apex Service, in scenario (unscaled) time.</summary>
    public double RequestsPerSecond { get; init; } = 50;

    /// <summary>The running version.</summary>
    public VersionBehavior Primary { get; init; } = VersionBehavior.Baseline;

    /// <summary>The new version.</summary>
    public VersionBehavior Canary { get; init; } = VersionBehavior.Baseline;

    /// <summary>Behaviour changes during the release, by time.</summary>
    public IReadOnlyList<BehaviorChange> Changes { get; init; } = [];

    /// <summary>The file it was read from (for messages).</summary>
    public string Source { get; init; } = string.Empty;
}
