namespace Canary.Sandbox.Traffic.Cluster;

/// <summary>A ready pod behind a Service, with the Deployment it belongs to and how it answers.</summary>
internal sealed record PodEndpoint(string Namespace, string PodName, string Workload, WorkloadBehavior Behavior);
