using System.Buffers;
using Canary.Sandbox.Traffic.Cluster;
using Canary.Sandbox.Traffic.Metrics;
using Canary.Sandbox.Traffic.Podinfo;
using Canary.Sandbox.Traffic.Routing;
using Canary.Sandbox.Traffic.Sampling;

namespace Canary.Sandbox.Traffic;

/// <summary>One app's requests of one tick: counts per segment, the data plane's split, pods, errors and latencies.</summary>
internal sealed class AppTick(
    TrafficApp app,
    (IRouting Routing, IServedRecorder[] Recorders) plane,
    Sampler sampler,
    ClusterView view,
    Dictionary<(string, string), IReadOnlyList<PodEndpoint>> endpointsThisTick,
    BehaviorOverrides overrides,
    DateTimeOffset now)
{
    private const int InternalServerError = 500;
    private const int ServiceUnavailable = 503;

    // Simulated clients all send GET app.Path: podinfo's answer to it (status, /delay) holds for every request a pod does not fail.
    private readonly PodinfoResponse _answer = PodinfoApi.Handle(SimulatedRequest.Method, app.Path, string.Empty, now);

    public void Run(double seconds)
    {
        foreach (var segment in app.AllSegments())
        {
            var n = sampler.Poisson(app.RequestsPerSecond * segment.Share * seconds);
            if (n > 0)
            {
                RunSegment(segment.Name, plane.Routing.Route(app, new SimulatedRequest(app.Path, segment)), n);
            }
        }
    }

    private void RunSegment(string segment, RouteDecision decision, int n)
    {
        if (decision.LocalStatus is { } status)
        {
            Record(new ServedGroup(app, segment, null, null, status, n, Mirrored: false), []);
            return;
        }

        Span<double> weights = stackalloc double[decision.Targets.Count];
        Span<int> counts = stackalloc int[decision.Targets.Count];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = decision.Targets[i].Weight;
        }

        sampler.Multinomial(n, weights, counts);
        for (var i = 0; i < counts.Length; i++)
        {
            Serve(segment, decision.Targets[i], counts[i], mirrored: false);
        }

        // Mirrored copies are extra requests to the mirror backend; the client's answer came from the route above.
        foreach (var mirror in decision.Mirrors)
        {
            var copies = sampler.Binomial(n, Math.Clamp(mirror.Percent / 100, 0, 1));
            Serve(segment, new RouteTarget(mirror.Namespace, mirror.Service, mirror.Port, 0), copies, mirrored: true);
        }
    }

    private void Serve(string segment, RouteTarget target, int n, bool mirrored)
    {
        if (n == 0)
        {
            return;
        }

        target = target with { Port = target.Port ?? view.ServicePort(target.Namespace, target.Service) };
        var endpoints = Endpoints(target);
        if (endpoints.Count == 0)
        {
            // No ready endpoints: the proxy answers 503 itself, as Envoy and NGINX do.
            Record(new ServedGroup(app, segment, target, null, ServiceUnavailable, n, mirrored), []);
            return;
        }

        Span<double> evenly = stackalloc double[endpoints.Count];
        Span<int> perPod = stackalloc int[endpoints.Count];
        evenly.Fill(1);
        sampler.Multinomial(n, evenly, perPod);
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (perPod[i] > 0)
            {
                ServeByPod(segment, target, endpoints[i], perPod[i], mirrored);
            }
        }
    }

    private void ServeByPod(string segment, RouteTarget target, PodEndpoint pod, int n, bool mirrored)
    {
        var errors = sampler.Binomial(n, pod.Behavior.ErrorRate);
        var buffer = ArrayPool<double>.Shared.Rent(n);
        try
        {
            var latencies = buffer.AsSpan(0, n);
            for (var i = 0; i < n; i++)
            {
                latencies[i] = pod.Behavior.Latency.Sample(sampler);
            }

            // Failed requests answer 500 before the handler runs, so a /delay only lengthens the others.
            var delayMs = _answer.Delay.TotalMilliseconds;
            for (var i = errors; i < n && delayMs > 0; i++)
            {
                latencies[i] += delayMs;
            }

            Record(new ServedGroup(app, segment, target, pod, InternalServerError, errors, mirrored), latencies[..errors]);
            Record(new ServedGroup(app, segment, target, pod, _answer.Status, n - errors, mirrored), latencies[errors..]);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    private IReadOnlyList<PodEndpoint> Endpoints(RouteTarget target)
    {
        if (!endpointsThisTick.TryGetValue((target.Namespace, target.Service), out var endpoints))
        {
            endpoints = overrides.Apply(view.Endpoints(target.Namespace, target.Service));
            endpointsThisTick[(target.Namespace, target.Service)] = endpoints;
        }

        return endpoints;
    }

    private void Record(in ServedGroup group, ReadOnlySpan<double> latencies)
    {
        if (group.Count == 0)
        {
            return;
        }

        foreach (var recorder in plane.Recorders)
        {
            recorder.Record(group, latencies);
        }
    }
}
