namespace Canary.Sandbox.Demo;

/// <summary>
/// The analysis settings and waits of the demo: short enough that the four releases take a minute or two, long enough
/// that a 1 s Prometheus scrape has data for every check.
/// </summary>
public sealed record DemoTimings
{
    /// <summary>Analysis interval (one check and one step per interval).</summary>
    public TimeSpan AnalysisInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Failed checks before a rollback.</summary>
    public int Threshold { get; init; } = 3;

    /// <summary>Weight added per step (canary strategy).</summary>
    public int StepWeight { get; init; } = 20;

    /// <summary>Weight after which the canary is promoted (canary strategy).</summary>
    public int MaxWeight { get; init; } = 60;

    /// <summary>Checks before the switch (blue/green).</summary>
    public int Iterations { get; init; } = 3;

    /// <summary>Range of the metric queries (<c>{{ interval }}</c> of the built-in templates).</summary>
    public TimeSpan MetricWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The judge's fewest requests per side before a verdict: at 20 % of 400 req/s about 2.5 s of canary traffic. With
    /// 8 % errors and a healthy primary, a check over 200 requests passes only with at most 3 failures:
    /// P(Binomial(200, 0.08) ≤ 3) = 5.9e-5, so v3 goes 0→20→0 rather than passing its first step by chance.
    /// </summary>
    public int MinSamples { get; init; } = 200;

    /// <summary>Time from a pod starting to it being Ready.</summary>
    public TimeSpan ReadyDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Simulated client requests per second.</summary>
    public double RequestsPerSecond { get; init; } = 400;

    /// <summary>Longest wait for one step of the story (initialisation, or a release to end).</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Pause after a release, so the metric window no longer holds its canary's requests.</summary>
    public TimeSpan Settle => MetricWindow + TimeSpan.FromSeconds(1);

    /// <summary>How often the story samples the Canary and Prometheus for its live lines.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
