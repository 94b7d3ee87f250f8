namespace Canary.Sandbox.Traffic.Routing;

/// <summary>kube-proxy (provider <c>kubernetes</c>): every request goes to the apex Service; its selector picks the pods.</summary>
internal sealed class ServiceSelectorRouting : IRouting
{
    public RouteDecision Route(TrafficApp app, SimulatedRequest request) =>
        RouteDecision.To(new RouteTarget(app.Namespace, app.Name, null, 1));
}
