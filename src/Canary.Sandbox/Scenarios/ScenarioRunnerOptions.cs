namespace Canary.Sandbox.Scenarios;

/// <summary>How the scenario runner sets up the sandbox (defaults measured for ~360 Canaries on 2 cores).</summary>
public sealed record ScenarioRunnerOptions
{
    /// <summary>Default time scale S.</summary>
    public const double DefaultScale = 10;

    /// <summary>Scenario seconds per wall-clock second.</summary>
    public TimeScale Scale { get; init; } = new(DefaultScale);

    /// <summary>Default <see cref="Deadline"/>.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromMinutes(80);

    /// <summary>
    /// Scenario time after the release within which it must be decided, the same for every policy (a quiet service is
    /// given the time its evidence needs); later, the run counts as undecided.
    /// </summary>
    public TimeSpan Deadline { get; init; } = DefaultDeadline;

    /// <summary>Prometheus scrape interval (wall clock).</summary>
    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Traffic simulator tick (wall clock).</summary>
    public TimeSpan TrafficTick { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Concurrent reconciles in the controller.</summary>
    public int ControllerThreadiness { get; init; } = 8;

    /// <summary>Pod start to Ready (wall clock).</summary>
    public TimeSpan ReadyDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait for every Canary to be Initialized (wall clock); a Canary that is not is a sandbox failure.</summary>
    public TimeSpan InitializeTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How often the Canaries' phases are read (wall clock).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Clock for waits, deadlines and measured times.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
