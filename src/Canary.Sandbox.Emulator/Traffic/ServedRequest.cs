namespace Canary.Sandbox.Traffic;

/// <summary>How the sandbox answered one real request to a Service.</summary>
/// <param name="Status">200, 500 (the pod's error rate), 503 (no ready endpoint) or 404 (no such Service).</param>
/// <param name="Pod">The pod that answered, if one did.</param>
/// <param name="Latency">The pod's response time, waited for before answering.</param>
public sealed record ServedRequest(int Status, string? Pod, TimeSpan Latency);
