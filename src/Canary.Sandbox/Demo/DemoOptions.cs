using Canary.Controller.Hosting;
using Canary.Sandbox.Prometheus;

namespace Canary.Sandbox.Demo;

/// <summary>How the demo environment starts.</summary>
public sealed record DemoOptions
{
    /// <summary>Traffic provider profile (gatewayapi by default).</summary>
    public DemoProfile Profile { get; init; } = DemoProfile.For("gatewayapi");

    /// <summary>API server port on 127.0.0.1 (0 = any free port).</summary>
    public int ApiServerPort { get; init; }

    /// <summary>Where to write a kubeconfig for kubectl; null writes a temporary one (deleted on dispose).</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>Analysis settings and waits.</summary>
    public DemoTimings Timings { get; init; } = new();

    /// <summary>Clock for the story's timestamps, deadlines and pauses.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Simulate the demo app's clients (false: the caller adds its own apps to <see cref="DemoEnvironment.Traffic"/>).</summary>
    public bool DemoClients { get; init; } = true;

    /// <summary>How often the traffic simulator generates requests.</summary>
    public TimeSpan TrafficTickInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How Prometheus runs (scrape interval etc.).</summary>
    public PrometheusRunnerOptions Prometheus { get; init; } = new();

    /// <summary>Port of the controller's web dashboard on 127.0.0.1 (0: none); its buttons are on in the sandbox.</summary>
    public int DashboardPort { get; init; }

    /// <summary>Adjusts the in-process controller's options (e.g. threadiness for many Canaries); null keeps them.</summary>
    public Func<ControllerOptions, ControllerOptions>? TuneController { get; init; }
}
