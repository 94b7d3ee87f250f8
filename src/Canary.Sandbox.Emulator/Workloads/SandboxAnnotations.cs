namespace Canary.Sandbox.Workloads;

/// <summary>
/// Pod-template annotations that tell the sandbox simulators how a workload behaves. The workload simulator reads the
/// readiness ones; the traffic simulator reads the request ones. Values use Go duration syntax ("1.5s", "250ms").
/// </summary>
public static class SandboxAnnotations
{
    /// <summary>Common prefix of every sandbox annotation.</summary>
    public const string Prefix = "sandbox.canary.dev/";

    /// <summary>"true": pods start (Running) but never become Ready, so the Deployment hits its progress deadline.</summary>
    public const string NeverReady = Prefix + "never-ready";

    /// <summary>Go duration after which a started pod becomes Ready (overrides the simulator's default ready delay).</summary>
    public const string ReadyAfter = Prefix + "ready-after";

    /// <summary>Share (0..1, e.g. "0.08") of requests the traffic simulator answers with HTTP 500 for these pods.</summary>
    public const string ErrorRate = Prefix + "error-rate";

    /// <summary>Median response time the traffic simulator gives these pods (Go duration, e.g. "20ms").</summary>
    public const string LatencyP50 = Prefix + "latency-p50";

    /// <summary>99th percentile response time the traffic simulator gives these pods (Go duration).</summary>
    public const string LatencyP99 = Prefix + "latency-p99";
}
