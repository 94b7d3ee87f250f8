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
}
