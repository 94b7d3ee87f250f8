namespace Canary.Sandbox.Traffic;

/// <summary>How the sandbox answered one real request to a Service.</summary>
/// <param name="Status">
/// What the pod answered (500 for a request its error rate fails, else its podinfo route's status, see
/// <see cref="Podinfo.PodinfoApi"/>), or 503 (no ready endpoint) or 404 (no such Service).
/// </param>
/// <param name="Pod">The pod that answered, if one did.</param>
/// <param name="Latency">The pod's response time (sampled latency plus any <c>/delay</c>), waited for before answering.</param>
/// <param name="Body">The pod's response body; null when no pod answered (the proxy words the 404 or 503).</param>
/// <param name="ContentType">The pod's Content-Type, or null for none.</param>
public sealed record ServedRequest(int Status, string? Pod, TimeSpan Latency, string? Body = null, string? ContentType = null);
