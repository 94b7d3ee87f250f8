namespace Canary.Sandbox.Workloads;

/// <summary>How the <see cref="WorkloadSimulator"/> behaves: readiness timing, simulated nodes, retry and error reporting.</summary>
public sealed record WorkloadSimulatorOptions
{
    /// <summary>Time from a pod starting to it becoming Ready, unless its annotations say otherwise.</summary>
    public TimeSpan ReadyDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Simulated nodes (sandbox-node-1..N): DaemonSets run one pod per node; other pods are spread over them.</summary>
    public int NodeCount { get; init; } = 1;

    /// <summary>Wait before retrying a reconcile that failed with anything but a conflict.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Called when a reconcile fails unexpectedly (it is retried after <see cref="RetryDelay"/>).</summary>
    public Action<string, Exception>? OnError { get; init; }
}
