namespace Canary.Sandbox.Traffic;

/// <summary>One simulated client population: requests to an apex name, routed by one provider's data plane.</summary>
public sealed record TrafficApp
{
    /// <summary>Namespace of the apex Service and the routing objects.</summary>
    public required string Namespace { get; init; }

    /// <summary>Apex name: the Service, HTTPRoute and VirtualService Flagger-style routers write (e.g. podinfo).</summary>
    public required string Name { get; init; }

    /// <summary>Traffic provider as in <c>spec.provider</c>: kubernetes, gatewayapi[:v1|:v1beta1], nginx or istio.</summary>
    public required string Provider { get; init; }

    /// <summary>Mean request rate; per-tick counts are Poisson draws around it.</summary>
    public double RequestsPerSecond { get; init; } = 10;

    /// <summary>Shares of requests carrying A/B headers or cookies; the rest form the <see cref="RequestSegment.DefaultName"/> segment.</summary>
    public IReadOnlyList<RequestSegment> Segments { get; init; } = [];

    /// <summary>Simulated browsers that keep the cookies they get (session affinity), on top of the request rate; see <see cref="Cookies.StickyClientPool"/>.</summary>
    public int StickyClients { get; init; }

    /// <summary>Request rate of each sticky client.</summary>
    public double StickyRequestsPerSecond { get; init; } = 2;

    /// <summary>Request path (matched against route paths; the pods answer it as podinfo would, e.g. <c>/status/500</c>, <c>/delay/1</c>: see <see cref="Podinfo.PodinfoApi"/>).</summary>
    public string Path { get; init; } = "/";

    // Simulated clients send GET; a real request through the ServiceProxy keeps its own method for the app's histogram.
    internal string Method { get; init; } = "GET";

    /// <summary>For nginx: the main Ingress (<c>ingressRef</c>); the canary Ingress is <c>&lt;ingress&gt;-canary</c>. Default: <see cref="Name"/>.</summary>
    public string? Ingress { get; init; }

    /// <summary>Identity of the app in statistics and previews.</summary>
    public string Key => $"{Namespace}/{Name}";

    /// <summary>
    /// Seed of this app's own random stream (request counts, splits, errors, latencies); null derives it from the
    /// simulator's seed and <see cref="Key"/>. One stream per app: an app's draws never depend on which others run.
    /// </summary>
    public int? Seed { get; init; }

    internal string IngressName => string.IsNullOrEmpty(Ingress) ? Name : Ingress;

    internal DataPlaneKind DataPlane => DataPlaneKinds.Parse(Provider);

    /// <summary>The configured segments plus the default one holding the remaining share.</summary>
    internal IReadOnlyList<RequestSegment> AllSegments()
    {
        var claimed = Segments.Sum(s => s.Share);
        if (claimed > 1.000001 || Segments.Any(s => s.Share < 0))
        {
            throw new ArgumentException($"segment shares of {Key} must be in 0..1 and sum to at most 1 (got {claimed})");
        }

        return claimed >= 1
            ? Segments
            : [.. Segments, new RequestSegment(RequestSegment.DefaultName, 1 - claimed, new Dictionary<string, string>(), new Dictionary<string, string>())];
    }
}
