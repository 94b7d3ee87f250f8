using System.Globalization;

namespace Canary.Controller.Hosting;

/// <summary>The controller's flags. Names follow Flagger's where one exists (double-dash instead of single).</summary>
public static class ControllerFlags
{
    /// <summary>All flags in help order.</summary>
    public static IReadOnlyList<FlagSpec> All { get; } =
    [
        new("--kubeconfig", "Path to a kubeconfig. Only required if out-of-cluster.", false,
            (o, v) => o with { Kubeconfig = v }),
        new("--metrics-server", "Prometheus URL used by the built-in metric checks.", false,
            (o, v) => o with { MetricsServer = ParseUri(v) }),
        new("--mesh-provider", "Default traffic provider (istio, linkerd, gatewayapi:v1, nginx, kubernetes, ...).", false,
            (o, v) => o with { MeshProvider = v.Trim() }),
        new("--namespace", "Namespace to watch; empty watches all namespaces.", false,
            (o, v) => o with { Namespace = string.IsNullOrWhiteSpace(v) ? null : v.Trim() }),
        new("--selector-labels", "Comma-separated labels that select a target's pods.", false,
            (o, v) => o with { SelectorLabels = SplitList(v) }),
        new("--include-label-prefix", "Comma-separated prefixes of the target's labels and annotations copied to the primary and its ConfigMap, Secret and autoscaler copies; * copies all (the default), an empty value none.", false,
            (o, v) => o with { IncludeLabelPrefix = SplitList(v) }),
        new("--threadiness", "Number of reconcile workers.", false,
            (o, v) => o with { Threadiness = ParseInt(v) }),
        new("--enable-config-tracking", "Track the ConfigMaps and Secrets referenced by targets.", true,
            (o, v) => o with { EnableConfigTracking = ParseBool(v) }),
        new("--enable-leader-election", "Only the holder of a coordination.k8s.io Lease reconciles.", true,
            (o, v) => o with { EnableLeaderElection = ParseBool(v) }),
        new("--enable-sharding", "Replicas split the Canaries between them (a Lease each; consistent hashing over the live ones); exclusive with --enable-leader-election.", true,
            (o, v) => o with { EnableSharding = ParseBool(v) }),
        new("--leader-election-namespace", "Namespace of the leader-election Lease, and of the shard Leases (--namespace wins when set).", false,
            (o, v) => o with { LeaderElectionNamespace = v.Trim() }),
        new("--kube-api-qps", "Client-side sustained rate limit of Kubernetes API requests per second.", false,
            (o, v) => o with { KubeApiQps = ParseDouble(v) }),
        new("--kube-api-burst", "Client-side burst of Kubernetes API requests.", false,
            (o, v) => o with { KubeApiBurst = ParseInt(v) }),
        new("--health-port", "Port of /healthz and /readyz.", false,
            (o, v) => o with { HealthPort = ParseInt(v) }),
        new("--metrics-port", "Port of the Prometheus endpoint /metrics.", false,
            (o, v) => o with { MetricsPort = ParseInt(v) }),
        new("--dashboard-port", "Port of the web dashboard (read-only unless --dashboard-controls); 0 serves none.", false,
            (o, v) => o with { DashboardPort = ParseInt(v) }),
        new("--dashboard-controls", "Dashboard buttons that promote, abort, pause, resume, retry or skip the analysis (each asks for confirmation).", true,
            (o, v) => o with { DashboardControls = ParseBool(v) }),
        new("--log-format", "Console log format: json or text.", false,
            (o, v) => o with { LogFormat = ParseLogFormat(v) }),
        new("--allowed-redirect-hosts", "Comma-separated hosts (host or host:port, * for any) that webhook, alert and metric-server redirects may lead to; by default only the request's own origin.", false,
            (o, v) => o with { AllowedRedirectHosts = SplitList(v) }),
    ];

    private static int ParseInt(string v) =>
        int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"'{v}' is not a whole number.");

    private static double ParseDouble(string v) =>
        double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n)
            ? n
            : throw new FormatException($"'{v}' is not a number.");

    private static bool ParseBool(string v) =>
        bool.TryParse(v, out var b) ? b : throw new FormatException($"'{v}' is not true or false.");

    private static Uri ParseUri(string v) =>
        Uri.TryCreate(v, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
            ? u
            : throw new FormatException($"'{v}' is not an absolute http(s) URL.");

    private static LogFormat ParseLogFormat(string v) => v.Trim().ToUpperInvariant() switch
    {
        "JSON" => LogFormat.Json,
        "TEXT" => LogFormat.Text,
        _ => throw new FormatException($"'{v}' is not one of json, text."),
    };

    private static string[] SplitList(string v) =>
        v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
