namespace Canary.Sandbox.Traffic;

/// <summary>How a <see cref="TrafficSimulator"/> runs.</summary>
public sealed record TrafficSimulatorOptions
{
    /// <summary>How often a tick generates the requests of the time elapsed since the previous one.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Clock driving the ticks (a FakeTimeProvider in tests).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Seed for request counts, splits, errors and latencies, mixed with each app's key (one stream per app); null draws a random seed.</summary>
    public int? Seed { get; init; }

    /// <summary>Apps simulated from the start (more can be added with <see cref="TrafficSimulator.AddApp"/>).</summary>
    public IReadOnlyList<TrafficApp> Apps { get; init; } = [];

    /// <summary>Longest gap one tick makes up for (a stalled timer must not release a burst of hours).</summary>
    public TimeSpan MaxTickGap { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Annotation prefix of the NGINX router (the controller's <c>-ingress-annotations-prefix</c>).</summary>
    public string NginxAnnotationPrefix { get; init; } = "nginx.ingress.kubernetes.io";
}
