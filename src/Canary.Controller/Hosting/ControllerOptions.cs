namespace Canary.Controller.Hosting;

/// <summary>Everything the controller host is configured with; filled from flags and environment variables.</summary>
public sealed record ControllerOptions
{
    /// <summary>Path to a kubeconfig; null uses the in-cluster config (or the default kubeconfig outside a cluster).</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Prometheus URL for the built-in metric checks.</summary>
    public Uri MetricsServer { get; init; } = new("http://prometheus:9090");

    /// <summary>The default traffic provider (Flagger's -mesh-provider).</summary>
    public string MeshProvider { get; init; } = "istio";

    /// <summary>Only watch this namespace; null watches all namespaces.</summary>
    public string? Namespace { get; init; }

    /// <summary>Labels that select the pods of a target (Flagger's -selector-labels).</summary>
    public IReadOnlyList<string> SelectorLabels { get; init; } = ["app", "name", "app.kubernetes.io/name"];

    /// <summary>
    /// Label and annotation key prefixes copied from the target to the primary and its copies (Flagger's
    /// -include-label-prefix; <c>*</c>, the default here, copies all; empty copies none).
    /// </summary>
    public IReadOnlyList<string> IncludeLabelPrefix { get; init; } = ["*"];

    /// <summary>Hosts outbound redirects (webhooks, alerts, metric servers) may lead to besides the request's origin.</summary>
    public IReadOnlyList<string> AllowedRedirectHosts { get; init; } = [];

    /// <summary>Number of reconcile workers.</summary>
    public int Threadiness { get; init; } = 2;

    /// <summary>Track the ConfigMaps and Secrets referenced by targets (ConfigMaps are only cached with it).</summary>
    public bool EnableConfigTracking { get; init; } = true;

    /// <summary>Only the holder of the Lease reconciles.</summary>
    public bool EnableLeaderElection { get; init; }

    /// <summary>
    /// Replicas split the Canaries between them by consistent hashing over the live members of a shard group (a Lease
    /// each, in the lease namespace); exclusive with <see cref="EnableLeaderElection"/>.
    /// </summary>
    public bool EnableSharding { get; init; }

    /// <summary>This replica's identity in the shard group; null: the host (pod) name plus a random suffix.</summary>
    public string? ShardIdentity { get; init; }

    /// <summary>Name of the shard group: its Leases are named after it and labelled with it.</summary>
    public string ShardGroup { get; init; } = "canary-controller";

    /// <summary>Namespace of the leader-election Lease; <see cref="Namespace"/> wins when set (as in Flagger).</summary>
    public string LeaderElectionNamespace { get; init; } = "kube-system";

    /// <summary>Name of the leader-election Lease.</summary>
    public string LeaderElectionLeaseName { get; init; } = "canary-leader-election";

    /// <summary>How long a Lease is valid without renewal (a follower takes over after it).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leadership.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often candidates and the leader touch the Lease.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Port of /healthz and /readyz.</summary>
    public int HealthPort { get; init; } = 8081;

    /// <summary>Port of the Prometheus scrape endpoint /metrics.</summary>
    public int MetricsPort { get; init; } = 8080;

    /// <summary>Port of the web dashboard; 0 (the default) serves none.</summary>
    public int DashboardPort { get; init; }

    /// <summary>The dashboard shows buttons that create CanaryRequests (promote, abort, ...); off by default: read-only.</summary>
    public bool DashboardControls { get; init; }

    /// <summary>Console log format.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Json;

    /// <summary>Sustained client-side rate limit of API requests per second.</summary>
    public double KubeApiQps { get; init; } = 100;

    /// <summary>Burst allowed above <see cref="KubeApiQps"/>.</summary>
    public int KubeApiBurst { get; init; } = 250;

    /// <summary>Shortest server-side timeout asked of a watch (a random value up to twice this is used).</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The Lease namespace actually used.</summary>
    public string EffectiveLeaseNamespace => string.IsNullOrEmpty(Namespace) ? LeaderElectionNamespace : Namespace;
}
