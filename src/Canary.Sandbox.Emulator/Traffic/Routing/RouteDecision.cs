namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// A backend Service a data plane sends a weighted share of requests to. <c>ViaCanaryIngress</c> (nginx only):
/// served through the canary Ingress, which sets the <c>canary</c> metric label. <c>Route</c>: the data plane's name
/// for the route that chose it, where its metrics are labelled by route (Skipper).
/// </summary>
internal sealed record RouteTarget(string Namespace, string Service, int? Port, double Weight, bool ViaCanaryIngress = false, string? Route = null);

/// <summary>A Service receiving copies of a share (percent) of the routed requests; the copies' answers are dropped.</summary>
internal sealed record MirrorTarget(string Namespace, string Service, int? Port, double Percent);

/// <summary>Where one request shape goes: weighted targets plus mirrors, or a status the proxy answers itself.</summary>
internal sealed record RouteDecision(IReadOnlyList<RouteTarget> Targets, IReadOnlyList<MirrorTarget> Mirrors, int? LocalStatus = null)
{
    /// <summary>No route matched: the proxy answers 404.</summary>
    public static RouteDecision NotFound { get; } = new([], [], 404);

    public static RouteDecision To(params RouteTarget[] targets) => new(targets, []);

    /// <summary>
    /// <c>Set-Cookie</c> values the proxy adds to responses, by index of <see cref="Targets"/> (the rule's own ones
    /// included); empty when the route sets none. Only the sticky clients (<see cref="Cookies.StickyClientPool"/>) read it.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> SetCookies { get; init; } = [];

    /// <summary>The <c>Set-Cookie</c> values of a response served by target <paramref name="index"/>.</summary>
    public IReadOnlyList<string> SetCookiesFor(int index) => index < SetCookies.Count ? SetCookies[index] : [];
}

/// <summary>One data plane's routing: reads the provider's objects from the cache and decides per request shape.</summary>
internal interface IRouting
{
    RouteDecision Route(TrafficApp app, SimulatedRequest request);
}
