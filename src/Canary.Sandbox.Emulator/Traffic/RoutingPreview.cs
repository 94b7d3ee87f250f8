namespace Canary.Sandbox.Traffic;

/// <summary>Where one segment's requests go right now, as the simulator's data plane sees the cluster.</summary>
/// <param name="Segment">The <see cref="RequestSegment"/> name.</param>
/// <param name="LocalStatus">Status the proxy answers itself (404 no route, 500 all weights zero), else null.</param>
/// <param name="Backends">Weighted backends with their ready endpoints.</param>
/// <param name="Mirrors">Mirrored copies: backend and percent.</param>
public sealed record SegmentRoute(string Segment, int? LocalStatus, IReadOnlyList<BackendShare> Backends, IReadOnlyList<BackendShare> Mirrors);

/// <summary>A backend Service with its share (fraction 0..1 of the segment, or the mirror percent / 100) and the Deployments of its ready pods.</summary>
public sealed record BackendShare(string Service, double Share, int ReadyPods, IReadOnlyList<string> Workloads);
