namespace Canary.Providers.Routing;

/// <summary>Controller-wide settings of the traffic routers (Flagger's command-line flags of the same meaning).</summary>
public sealed class TrafficRouterOptions
{
    /// <summary>Provider used when <c>spec.provider</c> is empty (Flagger's <c>-mesh-provider</c>). Null: the Canary must name one.</summary>
    public string? DefaultProvider { get; set; }

    /// <summary>Prefix of the NGINX canary annotations (Flagger's <c>-ingress-annotations-prefix</c>).</summary>
    public string NginxAnnotationPrefix { get; set; } = "nginx.ingress.kubernetes.io";

    /// <summary>
    /// Gateway API: when true, GetRoutes also fails while a parentRef has no entry in <c>status.parents</c> yet. Default
    /// false, which is Flagger's behaviour (only a reported, non-accepted parent fails) and what works on API servers
    /// where no Gateway controller writes route status (the sandbox).
    /// </summary>
    public bool GatewayApiRequireParentStatus { get; set; }

    /// <summary>Attempts of a read-modify-write before a persisting 409 Conflict is reported. Default 5.</summary>
    public int MaxConflictRetries { get; set; } = 5;

    /// <summary>Where the first read of a read-modify-write may come from (the controller's caches); null: always a GET.</summary>
    public Apply.IObjectCache? Cache { get; set; }

    /// <summary>Label keys tried, in order, to find the target's pod selector (Flagger's <c>-selector-labels</c>).</summary>
    public IList<string> SelectorLabels { get; } = ["app", "name", "app.kubernetes.io/name"];
}
