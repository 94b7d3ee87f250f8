using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.Traffic.Cluster;
using static Canary.Sandbox.Json.KubeJson;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// ingress-nginx with main Ingress <c>&lt;ingress&gt;</c> and canary Ingress <c>&lt;ingress&gt;-canary</c>
/// (<c>canary: "true"</c>). Per request, as its balancer: by-header (value, else pattern, else "always"/"never"),
/// then by-cookie ("always"/"never"), then canary-weight out of canary-weight-total (default 100).
/// Without the main Ingress or a matching path the controller answers 404.
/// </summary>
internal sealed class NginxRouting(ClusterView view, string annotationPrefix = NginxRouting.DefaultPrefix) : IRouting
{
    public const string DefaultPrefix = "nginx.ingress.kubernetes.io";

    public RouteDecision Route(TrafficApp app, SimulatedRequest request)
    {
        if (view.Ingresses.Get(app.Namespace, app.IngressName) is not { } main || Backend(app, main, request, canary: false) is not { } primary)
        {
            return RouteDecision.NotFound;
        }

        var canaryIngress = view.Ingresses.Get(app.Namespace, app.IngressName + "-canary");
        var annotations = canaryIngress?["metadata"]?["annotations"] as JsonObject;
        if (canaryIngress is null || Annotation(annotations, "canary") != "true"
            || Backend(app, canaryIngress, request, canary: true) is not { } canary)
        {
            return RouteDecision.To(primary);
        }

        var share = CanaryShare(annotations, request);
        return share switch
        {
            >= 1 => RouteDecision.To(canary),
            <= 0 => RouteDecision.To(primary),
            _ => RouteDecision.To(primary with { Weight = 1 - share }, canary with { Weight = share }),
        };
    }

    /// <summary>Probability that a request of this shape goes to the canary upstream.</summary>
    private double CanaryShare(JsonObject? annotations, SimulatedRequest request)
    {
        if (Annotation(annotations, "canary-by-header") is { Length: > 0 } headerName && request.Header(headerName) is { } header)
        {
            var value = Annotation(annotations, "canary-by-header-value");
            var pattern = Annotation(annotations, "canary-by-header-pattern");
            if (!string.IsNullOrEmpty(value))
            {
                if (value == header)
                {
                    return 1;
                }
            }
            else if (!string.IsNullOrEmpty(pattern))
            {
                // No match falls through to the cookie and the weight, as in ingress-nginx's balancer.
                if (Matching.SearchRegex(header, pattern))
                {
                    return 1;
                }
            }
            else if (header == "always")
            {
                return 1;
            }
            else if (header == "never")
            {
                return 0;
            }
        }

        if (Annotation(annotations, "canary-by-cookie") is { Length: > 0 } cookieName && request.Cookies.TryGetValue(cookieName, out var cookie))
        {
            if (cookie == "always")
            {
                return 1;
            }

            if (cookie == "never")
            {
                return 0;
            }
        }

        var weight = ParseInt(Annotation(annotations, "canary-weight"), 0);
        var total = ParseInt(Annotation(annotations, "canary-weight-total"), 100);
        return weight <= 0 || total <= 0 ? 0 : Math.Min(1.0, (double)weight / total);
    }

    /// <summary>The backend of the longest path of the Ingress that matches the request path.</summary>
    private static RouteTarget? Backend(TrafficApp app, JsonObject ingress, SimulatedRequest request, bool canary)
    {
        var paths = Objects(ingress["spec"]?["rules"])
            .SelectMany(r => Objects(r["http"]?["paths"]))
            .Where(p => PathMatches(p, request.Path))
            .OrderByDescending(p => (Str(p["path"]) ?? "/").Length);
        var service = paths.Select(p => p["backend"]?["service"]).FirstOrDefault(s => s is not null)
            ?? ingress["spec"]?["defaultBackend"]?["service"];
        return Str(service?["name"]) is { } name
            ? new RouteTarget(app.Namespace, name, (int?)Number(service?["port"]?["number"]), 1, canary)
            : null;
    }

    private static bool PathMatches(JsonObject path, string requestPath)
    {
        var value = Str(path["path"]) ?? "/";
        return Str(path["pathType"]) == "Exact" ? requestPath == value : Matching.PathPrefix(requestPath, value);
    }

    private string? Annotation(JsonObject? annotations, string key) => Str(annotations?[$"{annotationPrefix}/{key}"]);

    private static int ParseInt(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
