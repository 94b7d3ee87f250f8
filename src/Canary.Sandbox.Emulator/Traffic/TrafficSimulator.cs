using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.Traffic.Cluster;
using Canary.Sandbox.Traffic.Cookies;
using Canary.Sandbox.Traffic.Metrics;
using Canary.Sandbox.Traffic.Podinfo;
using Canary.Sandbox.Traffic.Routing;
using Canary.Sandbox.Traffic.Sampling;
using Canary.Sandbox.Workloads;

namespace Canary.Sandbox.Traffic;

/// <summary>
/// Simulated client traffic for the sandbox: every tick, for each <see cref="TrafficApp"/>, draws Poisson request
/// counts per segment, routes them as the provider's data plane would from the routing objects in the store (watch-fed
/// cache), spreads them over the ready pods of the chosen Services, applies each workload's error rate and latency
/// (<see cref="SandboxAnnotations"/>) and records the data plane's own metrics (<see cref="WriteMetrics"/>) plus
/// <see cref="Statistics"/>. Work per tick is proportional to requests and pods; no object per request.
/// </summary>
public sealed class TrafficSimulator : IAsyncDisposable
{
    private readonly TrafficSimulatorOptions _options;
    private readonly ClusterView _view;
    private readonly Dictionary<string, Sampler> _samplers = new(StringComparer.Ordinal);
    private readonly MetricRegistry _metrics = new();
    private readonly StatisticsRecorder _statistics = new();
    private readonly WorkloadTotalsRecorder _totals = new();
    private readonly StickyClientPool _sticky;
    private readonly Dictionary<DataPlaneKind, (IRouting Routing, IServedRecorder[] Recorders)> _planes;
    private readonly Dictionary<string, TrafficApp> _apps = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _randomSeed = Random.Shared.Next();

    // Real requests through the Service proxy draw from their own generator (under the metrics lock), so they never
    // change the simulated clients' draws.
    private const string ProxySegment = "proxy";
    private readonly Sampler _proxySampler = new(new Random(Random.Shared.Next()));
    private ITimer? _timer;
    private Task? _watching;
    private DateTimeOffset _lastTick;

    /// <summary>Creates a simulator over <paramref name="store"/> (e.g. <c>SandboxApiServer.Store</c>); call <see cref="StartAsync"/>.</summary>
    public TrafficSimulator(ObjectStore store, TrafficSimulatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _options = options ?? new TrafficSimulatorOptions();
        _view = new ClusterView(store, _options.TimeProvider);
        _sticky = new StickyClientPool(_options.Seed);
        var app = new AppMetricsRecorder(_metrics);
        _planes = new()
        {
            [DataPlaneKind.Kubernetes] = (new ServiceSelectorRouting(), [_statistics, _totals, app]),
            [DataPlaneKind.GatewayApi] = (new GatewayApiRouting(_view), [_statistics, _totals, app, new EnvoyMetricsRecorder(_metrics)]),
            [DataPlaneKind.Nginx] = (new NginxRouting(_view, _options.NginxAnnotationPrefix), [_statistics, _totals, app, new NginxMetricsRecorder(_metrics)]),
            [DataPlaneKind.Istio] = (new IstioRouting(_view), [_statistics, _totals, app, new IstioMetricsRecorder(_metrics)]),
            [DataPlaneKind.Linkerd] = (new TrafficSplitRouting(_view), [_statistics, _totals, app, new LinkerdMetricsRecorder(_metrics)]),
            [DataPlaneKind.Contour] = (new HttpProxyRouting(_view), [_statistics, _totals, app, new EnvoyMetricsRecorder(_metrics)]),
            [DataPlaneKind.Apisix] = (new ApisixRouting(_view), [_statistics, _totals, app, new ApisixMetricsRecorder(_metrics)]),
            [DataPlaneKind.Gloo] = (new GlooRouting(_view), [_statistics, _totals, app, new EnvoyMetricsRecorder(_metrics, clusterFromRoute: true)]),
            [DataPlaneKind.Kuma] = (new KumaRouting(_view), [_statistics, _totals, app, new KumaMetricsRecorder(_metrics)]),
            [DataPlaneKind.Skipper] = (new SkipperRouting(_view), [_statistics, _totals, app, new SkipperMetricsRecorder(_metrics)]),
            [DataPlaneKind.Traefik] = (new TraefikServiceRouting(_view), [_statistics, _totals, app, new TraefikMetricsRecorder(_metrics)]),
            [DataPlaneKind.Knative] = (new KnativeRouting(_view), [_statistics, _totals, app, new EnvoyMetricsRecorder(_metrics, clusterFromRoute: true)]),
        };
        foreach (var a in _options.Apps)
        {
            AddApp(a);
        }
    }

    /// <summary>The simulated apps.</summary>
    public IReadOnlyList<TrafficApp> Apps
    {
        get
        {
            lock (_metrics.SyncRoot)
            {
                return [.. _apps.Values];
            }
        }
    }

    /// <summary>Run-time changes of workloads' behaviour over their annotations (see <see cref="BehaviorOverride"/>).</summary>
    public BehaviorOverrides BehaviorOverrides { get; } = new();

    /// <summary>The last error a tick swallowed (a malformed routing object), or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>True once every watched resource has delivered its initial state.</summary>
    public bool Synced => _view.Synced;

    /// <summary>Adds (or replaces, by namespace/name) an app; its requests start with the next tick.</summary>
    public void AddApp(TrafficApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.DataPlane;
        _ = app.AllSegments();
        lock (_metrics.SyncRoot)
        {
            _apps[app.Key] = app;
            _samplers[app.Key] = new Sampler(new Random(SeedOf(app)));
        }
    }

    /// <summary>The seed of <paramref name="app"/>'s random stream: its own, else the simulator's mixed with its key.</summary>
    public int SeedOf(TrafficApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Seed ?? Mix(_options.Seed ?? _randomSeed, app.Key);
    }

    // FNV-1a over the key, folded with the seed: stable across processes (string.GetHashCode is not).
    private static int Mix(int seed, string key)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    /// <summary>Stops simulating an app; its metrics stay (counters never go backwards).</summary>
    public bool RemoveApp(string ns, string name)
    {
        lock (_metrics.SyncRoot)
        {
            _samplers.Remove($"{ns}/{name}");
            return _apps.Remove($"{ns}/{name}");
        }
    }

    /// <summary>Starts the watches and the tick timer; returns once the initial state of the cluster is cached.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        if (_watching is not null)
        {
            return;
        }

        _watching = Task.Run(() => _view.RunAsync(_stopping.Token), CancellationToken.None);
        await WaitUntilSyncedAsync(cancellationToken).ConfigureAwait(false);
        _lastTick = _options.TimeProvider.GetUtcNow();
        _timer = _options.TimeProvider.CreateTimer(_ => Tick(), null, _options.TickInterval, _options.TickInterval);
    }

    /// <summary>The cookie-keeping clients of one app (<see cref="TrafficApp.StickyClients"/>) and what they saw.</summary>
    public IReadOnlyList<StickyClientSnapshot> StickyClients(string ns, string name)
    {
        lock (_metrics.SyncRoot)
        {
            return _sticky.Snapshot($"{ns}/{name}", _options.TimeProvider.GetUtcNow());
        }
    }

    /// <summary>Cumulative counts of one app since start.</summary>
    public TrafficStatistics Statistics(string ns, string name)
    {
        lock (_metrics.SyncRoot)
        {
            return _statistics.Snapshot($"{ns}/{name}");
        }
    }

    /// <summary>Where each segment of an app's requests would go now (routing objects and endpoints as cached).</summary>
    public IReadOnlyList<SegmentRoute> Preview(string ns, string name)
    {
        TrafficApp app;
        lock (_metrics.SyncRoot)
        {
            app = _apps.GetValueOrDefault($"{ns}/{name}") ?? throw new KeyNotFoundException($"no simulated app {ns}/{name}");
        }

        var routing = _planes[app.DataPlane].Routing;
        return [.. app.AllSegments().Select(segment =>
        {
            var decision = routing.Route(app, new SimulatedRequest(app.Path, segment));
            var total = decision.Targets.Sum(t => Math.Max(0, t.Weight));
            return new SegmentRoute(
                segment.Name,
                decision.LocalStatus,
                [.. decision.Targets.Select(t => Share(t.Namespace, t.Service, total > 0 ? Math.Max(0, t.Weight) / total : 0))],
                [.. decision.Mirrors.Select(m => Share(m.Namespace, m.Service, m.Percent / 100))]);
        })];
    }

    /// <summary>
    /// What each workload's pods served since the previous call (requests, 5xx, summed response times), for a pusher to a
    /// store such as InfluxDB; one consumer per simulator, as each call starts the totals afresh.
    /// </summary>
    public IReadOnlyList<WorkloadTotals> DrainWorkloadTotals()
    {
        lock (_metrics.SyncRoot)
        {
            return _totals.Drain();
        }
    }

    /// <summary>Writes all series in the Prometheus text format 0.0.4.</summary>
    public void WriteMetrics(TextWriter writer)
    {
        lock (_metrics.SyncRoot)
        {
            _metrics.WriteTo(writer);
        }
    }

    /// <summary>Stops the timer and the watches.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_watching is not null)
        {
            try
            {
                await _watching.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The watches end by cancellation.
            }
        }

        _stopping.Dispose();
    }

    private async Task WaitUntilSyncedAsync(CancellationToken cancellationToken)
    {
        // The caches fill from in-process watches within milliseconds; poll on the real clock (the injected one may be fake).
        while (!_view.Synced)
        {
            if (_watching is { IsFaulted: true })
            {
                await _watching.ConfigureAwait(false);
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    private BackendShare Share(string ns, string service, double share)
    {
        var endpoints = _view.Endpoints(ns, service);
        return new BackendShare(service, share, endpoints.Count, [.. endpoints.Select(e => e.Workload).Distinct().Order(StringComparer.Ordinal)]);
    }

    /// <summary>A real <c>GET <paramref name="path"/></c> without a body; see the overload with a method.</summary>
    public Task<ServedRequest> ServeAsync(string ns, string service, string path, CancellationToken cancellationToken = default) =>
        ServeAsync(ns, service, "GET", path, string.Empty, cancellationToken);

    /// <summary>
    /// One real request to the Service <paramref name="service"/> in <paramref name="ns"/>, as kube-proxy would send it: a
    /// ready endpoint picked at random answers 500 with its pod's error rate, else as podinfo would
    /// (<see cref="PodinfoApi"/>: <c>/status/{code}</c>, <c>/delay/{seconds}</c>, <c>POST /token</c>, ...), after its
    /// sampled latency plus any <c>/delay</c> (waited for on the injected clock), and the request is counted with the
    /// status it got and the time it took in the same series as the simulated clients' (the application's histogram
    /// and the workload totals). 503 when the Service has no ready endpoint, 404 when there is no such Service.
    /// </summary>
    public async Task<ServedRequest> ServeAsync(string ns, string service, string method, string path, string body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(body);
        ServedRequest served;
        lock (_metrics.SyncRoot)
        {
            if (_view.ServicePort(ns, service) is null && _view.Endpoints(ns, service).Count == 0)
            {
                return new ServedRequest(404, null, TimeSpan.Zero);
            }

            var endpoints = BehaviorOverrides.Apply(_view.Endpoints(ns, service));
            var app = new TrafficApp { Namespace = ns, Name = service, Provider = "kubernetes", Path = path, Method = method };
            var target = new RouteTarget(ns, service, _view.ServicePort(ns, service), 100);
            var recorders = _planes[DataPlaneKind.Kubernetes].Recorders;
            if (endpoints.Count == 0)
            {
                Record(recorders, new ServedGroup(app, ProxySegment, target, null, 503, 1, Mirrored: false), []);
                return new ServedRequest(503, null, TimeSpan.Zero);
            }

            // Same draws in the same order whatever the path, so a path never shifts the other requests' draws.
            var pod = endpoints[_proxySampler.NextIndex(endpoints.Count)];
            var failed = _proxySampler.NextDouble() < pod.Behavior.ErrorRate;
            var latencyMs = pod.Behavior.Latency.Sample(_proxySampler);
            var answer = failed ? PodinfoApi.SimulatedError : PodinfoApi.Handle(method, path, body, _options.TimeProvider.GetUtcNow());
            latencyMs += answer.Delay.TotalMilliseconds;
            Record(recorders, new ServedGroup(app, ProxySegment, target, pod, answer.Status, 1, Mirrored: false), [latencyMs]);
            served = new ServedRequest(answer.Status, pod.PodName, TimeSpan.FromMilliseconds(latencyMs), answer.Body, answer.ContentType);
        }

        await Task.Delay(served.Latency, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        return served;
    }

    private static void Record(IServedRecorder[] recorders, in ServedGroup group, ReadOnlySpan<double> latencies)
    {
        foreach (var recorder in recorders)
        {
            recorder.Record(group, latencies);
        }
    }

    private void Tick()
    {
        lock (_metrics.SyncRoot)
        {
            var now = _options.TimeProvider.GetUtcNow();
            var elapsed = now - _lastTick;
            _lastTick = now;
            if (elapsed <= TimeSpan.Zero)
            {
                return;
            }

            var seconds = Math.Min(elapsed.TotalSeconds, _options.MaxTickGap.TotalSeconds);
            var endpoints = new Dictionary<(string, string), IReadOnlyList<PodEndpoint>>();
            foreach (var app in _apps.Values)
            {
                try
                {
                    new AppTick(app, _planes[app.DataPlane], _samplers[app.Key], _view, endpoints, BehaviorOverrides, now).Run(seconds);
                    _sticky.Tick(app, _planes[app.DataPlane].Routing, seconds, now);
                }
                catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
                {
                    // A malformed object must not kill the timer thread; keep the last error for diagnosis.
                    LastError = $"{app.Key}: {e.Message}";
                }
            }
        }
    }
}
