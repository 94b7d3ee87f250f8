using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Api.Serialization;
using Canary.MetricTemplates.BuiltIn;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Templates;
using Canary.Sandbox.ApiServer.Patching;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Demo;
using Canary.Sandbox.Prometheus;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Traffic.Metrics;
using Canary.Sandbox.Workloads;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>
/// The judge's built-in per-side queries (requests, failures, latency buckets), rendered as the judge renders them, run
/// by a real Prometheus over a window whose traffic is known exactly: the counts equal the simulator's own, to the request.
/// The canary receives no traffic before the window, so every canary series (its 5xx included) is born inside it, which
/// <c>increase()</c> would undercount; the primary's series exist before it, so the window start must be subtracted;
/// traffic after the window must not count.
/// </summary>
public sealed class JudgeQueriesEndToEndTests(JudgeTrafficFixture fixture, ITestOutputHelper output) : IClassFixture<JudgeTrafficFixture>
{
    [Theory]
    [MemberData(nameof(Objects.DemoProviders), MemberType = typeof(Objects))]
    public async Task Judge_queries_count_exactly_the_requests_of_each_side_in_the_window(string provider)
    {
        var canary = fixture.Canary(provider);
        var set = BuiltInMetricTemplates.Find(BuiltInMetricTemplates.SelectProvider(canary.Spec.Provider, DemoProfile.For(provider).MeshProvider))!;
        var window = fixture.Statistics(provider, JudgeTrafficFixture.Phase.Window);
        var before = fixture.Statistics(provider, JudgeTrafficFixture.Phase.Before);
        var after = fixture.Statistics(provider, JudgeTrafficFixture.Phase.After);
        output.WriteLine($"{provider} ({set.Provider} built-ins): window {fixture.Window} ending {fixture.WindowEnd:O}");

        // Nothing answered by the proxy itself (404/503): every request has a side.
        Assert.Equal(0, window.Count(k => k.Workload.Length == 0));

        var (canaryWorkload, primaryWorkload) = Objects.SideWorkloads(provider);
        foreach (var (side, workload) in new[] { (JudgeSides.Canary, canaryWorkload), (JudgeSides.Primary, primaryWorkload) })
        {
            // As the judge renders each side: the Deployment, and for a Knative Service the side's revision as the route.
            var model = MetricTemplateModel.FromCanary(canary) with { Interval = fixture.Window, Side = side, Workload = side == JudgeSides.Primary ? "podinfo-primary" : "podinfo" };
            if (Objects.Routes(provider) is { } revisions)
            {
                model = model with { Route = side == JudgeSides.Primary ? revisions.Primary! : revisions.Canary };
            }

            var requestsQuery = Render(set.RequestsQuery!, model);
            var failuresQuery = Render(set.FailuresQuery!, model);
            var bucketsQuery = Render(set.BucketsQuery!, model);

            var expectedRequests = window.ByWorkload(workload);
            var expectedFailures = window.Count(k => k.Workload == workload && k.StatusCode >= 500);
            var requests = await fixture.QueryAsync(requestsQuery, fixture.WindowEnd);
            var failures = await fixture.QueryAsync(failuresQuery, fixture.WindowEnd);
            var buckets = await fixture.QueryAsync(bucketsQuery, fixture.WindowEnd);
            var inf = buckets.SingleOrDefault(s => s.Le == "+Inf");

            // For contrast, what increase() over the same series and window makes of it (extrapolated, born series short).
            var series = requestsQuery[4..requestsQuery.IndexOf(" - (", StringComparison.Ordinal)];
            var increase = await fixture.QueryAsync($"sum(increase({series}[{fixture.Window}]))", fixture.WindowEnd);
            var failedSeries = failuresQuery[4..failuresQuery.IndexOf(" - (", StringComparison.Ordinal)];
            var failedIncrease = await fixture.QueryAsync($"sum(increase({failedSeries}[{fixture.Window}]))", fixture.WindowEnd);

            output.WriteLine(
                $"  {side,-7} increase() {Value(increase)} / 5xx {Value(failedIncrease)}; requests {Value(requests)} (simulator {expectedRequests}), 5xx {Value(failures)} (simulator {expectedFailures}), " +
                $"+Inf bucket {inf?.Value} over {buckets.Count} le; before the window {before.ByWorkload(workload)}, after {after.ByWorkload(workload)}");
            Assert.True(expectedRequests > 1000, $"{side}: too little traffic in the window ({expectedRequests})");
            Assert.True(expectedFailures > 0, $"{side}: no 5xx in the window");
            Assert.True(after.ByWorkload(workload) > 0, $"{side}: no traffic after the window, so its end is not tested");
            Assert.Equal(expectedRequests, Exact(requests, requestsQuery));
            Assert.Equal(expectedFailures, Exact(failures, failuresQuery));

            // Cumulative buckets: non-decreasing in le, +Inf holding every request of the side.
            Assert.NotNull(inf);
            Assert.Equal(expectedRequests, (long)inf.Value);
            var ordered = buckets.OrderBy(b => b.Bound).ToList();
            Assert.True(ordered.Zip(ordered.Skip(1)).All(p => p.First.Value <= p.Second.Value), "buckets are cumulative");

            if (side == JudgeSides.Canary)
            {
                // The canary had no traffic before the window: its series did not exist at the window start (the query
                // there is empty), so all of them, the 5xx ones included, were born inside it.
                Assert.Equal(0, before.ByWorkload(workload));
                Assert.Empty(await fixture.QueryAsync(failuresQuery, fixture.WindowStart));
                Assert.Empty(await fixture.QueryAsync(requestsQuery, fixture.WindowStart));
            }
            else
            {
                // The primary's series (5xx included) existed before: the count subtracts their value at the window start.
                Assert.True(before.Count(k => k.Workload == workload && k.StatusCode >= 500) > 0, "primary had no 5xx before the window");
                Assert.NotEmpty(await fixture.QueryAsync(failuresQuery, fixture.WindowStart));
            }
        }
    }

    private static string Render(string template, MetricTemplateModel model) =>
        PrometheusProvider.CollapseWhitespace(new MetricQueryRenderer().Render(template, model));

    private static string Value(IReadOnlyList<PromSample> samples) => samples.Count == 0 ? "no data" : samples[0].Value.ToString(CultureInfo.InvariantCulture);

    private static long Exact(IReadOnlyList<PromSample> samples, string query)
    {
        var sample = Assert.Single(samples);
        Assert.True(sample.Value == Math.Floor(sample.Value), $"not a whole count ({sample.Value}): {query}");
        return (long)sample.Value;
    }
}

/// <summary>One sample of an instant query: its <c>le</c> label (empty when absent) and value.</summary>
public sealed record PromSample(string Le, double Value)
{
    public double Bound => Le == "+Inf" ? double.PositiveInfinity : double.Parse(Le, CultureInfo.InvariantCulture);
}

/// <summary>
/// podinfo of every demo provider in its own namespace (primary at 0.1 % 5xx and 10/50 ms, canary at 5 % and 60/300 ms),
/// simulated on a fake clock so that traffic happens only in three phases the fixture drives, with a real Prometheus
/// scraping every second in real time:
/// <list type="number">
/// <item>before: users reach the primary only (routes at 100/0; kubernetes: no load tester on podinfo-canary yet);</item>
/// <item>window: routes at 50/50 and the load tester on; traffic starts after a scrape that saw the before-state
/// (its timestamp is <see cref="WindowStart"/>), comes in chunks each seen by a scrape, and stops before a later scrape;</item>
/// <item>after: more traffic once Prometheus has a scrape later than <see cref="WindowEnd"/>.</item>
/// </list>
/// Every wait is for a Prometheus scrape whose timestamp is past a point in time, never a fixed delay. Scrapes of one
/// target run one after another, so once a scrape stamped after T is queryable, every scrape stamped at or before T
/// has been rendered, and traffic started then cannot leak into samples at or before T.
/// </summary>
public sealed class JudgeTrafficFixture : IAsyncLifetime, IDisposable
{
    public const double UsersPerSecond = 2000;

    // Far above Prometheus' scrape-timestamp alignment (a few ms): a scrape stamped after now + this started after now.
    private static readonly TimeSpan StampMargin = TimeSpan.FromMilliseconds(100);


    private readonly TrafficClusterFixture _cluster = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly Dictionary<string, string> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Provider, Phase Phase), TrafficStatistics> _statistics = [];
    private readonly Dictionary<string, TrafficStatistics> _cumulative = new(StringComparer.Ordinal);
    private readonly Stack<IAsyncDisposable> _owned = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public enum Phase
    {
        Before,
        Window,
        After,
    }

    public TrafficSimulator Simulator { get; private set; } = null!;

    public PrometheusRunner Prometheus { get; private set; } = null!;

    /// <summary>Timestamp of the scrape that saw the state before the window (ms precision).</summary>
    public DateTimeOffset WindowStart { get; private set; }

    /// <summary>Evaluation time: <see cref="WindowStart"/> plus <see cref="Window"/>, past the scrape that saw the window's end.</summary>
    public DateTimeOffset WindowEnd { get; private set; }

    /// <summary>The window in whole seconds, as the judge renders <c>{{ interval }}</c> (e.g. 23s).</summary>
    public string Window { get; private set; } = string.Empty;

    public CanaryResource Canary(string provider)
    {
        var json = DemoManifests.Canary(DemoProfile.For(provider), new DemoTimings());
        json["metadata"]!["namespace"] = _namespaces[provider];
        return CanaryJson.Deserialize<CanaryResource>(json.ToJsonString());
    }

    /// <summary>The requests of all apps of <paramref name="provider"/>'s namespace during <paramref name="phase"/>.</summary>
    public TrafficStatistics Statistics(string provider, Phase phase) => _statistics[(provider, phase)];

    public async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        var apps = new List<TrafficApp>();
        foreach (var provider in DemoProfile.Names.Where(p => DemoProfile.For(p).Judge))
        {
            var profile = DemoProfile.For(provider);
            var (canary, primary) = (Behaviour(errorRate: "0.05", p50: "60ms", p99: "300ms"), Behaviour(errorRate: "0.001", p50: "10ms", p99: "50ms"));
            var ns = profile.KnativeService
                ? await _cluster.KnativePodinfoAsync(canaryWeight: 0, canary, primary)
                : await _cluster.PodinfoAsync(canaryAnnotations: canary, primaryAnnotations: primary);
            _namespaces[provider] = ns;
            apps.Add(new TrafficApp { Namespace = ns, Name = "podinfo", Provider = profile.Provider, RequestsPerSecond = UsersPerSecond, Ingress = profile.Ingress });
            if (!profile.KnativeService)
            {
                Objects.CreateRoutes(_cluster.Store, provider, ns, canaryWeight: 0);
            }
            if (provider == "skipper")
            {
                // At weight 0 the controller disables the canary Ingress and the primary is served on the user's
                // Ingress' route; as Flagger leaves it after a reconcile (100/0, Weight(100)), the primary's judge
                // series (the canary Ingress' primary route) exists before the window, which the test needs.
                _cluster.Store.Patch(BuiltInResources.Ingresses, ns, "podinfo-canary", PatchType.Merge, new JsonObject
                {
                    ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["zalando.org/skipper-predicate"] = "Weight(100)" } },
                });
            }
        }

        Simulator = Own(new TrafficSimulator(_cluster.Store, new TrafficSimulatorOptions { TimeProvider = _time, Seed = 20251205, Apps = apps }));
        await Simulator.StartAsync();
        var endpoint = Own(await TrafficMetricsEndpoint.StartAsync(Simulator));
        Prometheus = Own(await PrometheusRunner.StartAsync(endpoint.Url));
        await WaitForRoutesAsync((_, r) => AllReady(r));

        // Before: primary only.
        Run(TimeSpan.FromSeconds(10));
        Snapshot(Phase.Before);
        var start = await ScrapeAfterAsync(DateTimeOffset.UtcNow + StampMargin);

        // Window: half the users to the canary, the load tester on the canary Service.
        foreach (var provider in _namespaces.Keys)
        {
            ShiftToCanary(provider, _namespaces[provider]);
        }

        // Seen by the simulator's watches before any window traffic: the users' routes give the canary its half (the
        // kubernetes users stay on the apex Service; its canary traffic is the load tester's app).
        await WaitForRoutesAsync((app, r) => AllReady(r)
            && (app.Provider == "kubernetes" || r.Backends.Any(b => b.Service is "podinfo-canary" or "podinfo-00002-private" && b.Share > 0)));
        // In chunks, each seen by a scrape: the window spans several scrapes with partial counts, as a real one does.
        for (var chunk = 0; chunk < 4; chunk++)
        {
            Run(TimeSpan.FromSeconds(5));
            await ScrapeAfterAsync(DateTimeOffset.UtcNow + StampMargin);
        }

        Snapshot(Phase.Window);
        var end = await ScrapeAfterAsync(DateTimeOffset.UtcNow + StampMargin);

        // Whole seconds, as the judge asks; the evaluation time lands at or after the scrape that saw the window's end.
        var seconds = (long)Math.Ceiling((end - start).TotalSeconds);
        WindowStart = start;
        WindowEnd = start + TimeSpan.FromSeconds(seconds);
        Window = seconds.ToString(CultureInfo.InvariantCulture) + "s";

        // After: only once every scrape stamped up to the evaluation time has been taken.
        await ScrapeAfterAsync(WindowEnd + StampMargin);
        Run(TimeSpan.FromSeconds(5));
        Snapshot(Phase.After);
        await ScrapeAfterAsync(DateTimeOffset.UtcNow + StampMargin);
    }

    /// <summary>Instant query at <paramref name="at"/> (ms precision): every sample with its <c>le</c>.</summary>
    public async Task<IReadOnlyList<PromSample>> QueryAsync(string promql, DateTimeOffset at)
    {
        var uri = new Uri(Prometheus.Url, $"api/v1/query?query={Uri.EscapeDataString(promql)}&time={Seconds(at)}");
        using var json = await GetAsync(uri);
        return [.. json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => new PromSample(
            r.GetProperty("metric").TryGetProperty("le", out var le) ? le.GetString()! : string.Empty,
            double.Parse(r.GetProperty("value")[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)))];
    }

    public async Task DisposeAsync()
    {
        while (_owned.TryPop(out var part))
        {
            await part.DisposeAsync();
        }

        await _cluster.DisposeAsync();
    }

    public void Dispose() => _http.Dispose();

    private static Dictionary<string, string> Behaviour(string errorRate, string p50, string p99) => new()
    {
        [SandboxAnnotations.ErrorRate] = errorRate,
        [SandboxAnnotations.LatencyP50] = p50,
        [SandboxAnnotations.LatencyP99] = p99,
    };

    private static string Seconds(DateTimeOffset at) =>
        (at.ToUnixTimeMilliseconds() / 1000m).ToString("0.000", CultureInfo.InvariantCulture);

    private void ShiftToCanary(string provider, string ns)
    {
        switch (provider)
        {
            case "istio":
                _cluster.Store.Patch(Objects.VirtualServices, ns, "podinfo", PatchType.Merge, new JsonObject { ["spec"] = Objects.VirtualService(ns, 50, 50)["spec"]!.DeepClone() });
                break;
            case "gatewayapi":
                _cluster.Store.Patch(Objects.HttpRoutes, ns, "podinfo", PatchType.Merge, new JsonObject { ["spec"] = Objects.HttpRoute(ns, 50, 50)["spec"]!.DeepClone() });
                break;
            case "nginx":
                _cluster.Store.Patch(BuiltInResources.Ingresses, ns, "podinfo-canary", PatchType.Merge, new JsonObject
                {
                    ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["nginx.ingress.kubernetes.io/canary-weight"] = "50" } },
                });
                break;
            case "knative":
                Objects.SetKnativeSplit(_cluster.Store, ns, canaryWeight: 50);
                break;
            case "kubernetes":
                Simulator.AddApp(new TrafficApp { Namespace = ns, Name = "podinfo-canary", Provider = "kubernetes", RequestsPerSecond = UsersPerSecond / 2 });
                break;
            case "contour":
                _cluster.Store.Patch(Objects.HttpProxies, ns, "podinfo", PatchType.Merge, new JsonObject { ["spec"] = Objects.HttpProxy(ns, 50, 50)["spec"]!.DeepClone() });
                break;
            case "gloo":
                _cluster.Store.Patch(Objects.RouteTables, ns, "podinfo", PatchType.Merge, new JsonObject { ["spec"] = Objects.RouteTable(ns, 50, 50)["spec"]!.DeepClone() });
                break;
            case "kuma":
                _cluster.Store.Patch(Objects.TrafficRoutes, null, $"podinfo.{ns}", PatchType.Merge, new JsonObject { ["spec"] = Objects.TrafficRoute(ns, 50, 50)["spec"]!.DeepClone() });
                break;
            case "skipper":
                _cluster.Store.Patch(BuiltInResources.Ingresses, ns, "podinfo-canary", PatchType.Merge, new JsonObject
                {
                    ["metadata"] = new JsonObject { ["annotations"] = Objects.SkipperIngress(ns, "podinfo-canary", (50, 50))["metadata"]!["annotations"]!.DeepClone() },
                });
                break;
            case "traefik":
                _cluster.Store.Patch(Objects.TraefikServices, ns, "podinfo", PatchType.Merge, new JsonObject { ["spec"] = Objects.TraefikService(ns, 50, 50)["spec"]!.DeepClone() });
                break;
            case "linkerd" or "smi:v1alpha1" or "smi:v1alpha2" or "smi:v1alpha3":
                var version = provider == "linkerd" ? "v1alpha1" : provider[4..];
                _cluster.Store.Patch(Objects.TrafficSplits with { Version = version }, ns, "podinfo", PatchType.Merge, new JsonObject { ["spec"] = Objects.TrafficSplit(ns, version, 50, 50)["spec"]!.DeepClone() });
                break;
            default:
                throw new InvalidOperationException($"no routing objects for provider {provider}");
        }
    }

    /// <summary>Simulated time in 100 ms ticks (the fake clock fires the simulator's timer synchronously).</summary>
    private void Run(TimeSpan period)
    {
        for (var t = TimeSpan.Zero; t < period; t += TimeSpan.FromMilliseconds(100))
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Null(Simulator.LastError);
    }

    /// <summary>Records each namespace's requests of the phase that just ended (all its apps).</summary>
    private void Snapshot(Phase phase)
    {
        foreach (var (provider, ns) in _namespaces)
        {
            var total = Total(ns);
            _statistics[(provider, phase)] = total.Since(_cumulative.GetValueOrDefault(provider) ?? TrafficStatistics.Empty);
            _cumulative[provider] = total;
        }
    }

    private TrafficStatistics Total(string ns)
    {
        // An app's statistics are keyed by segment/service/workload/status; the namespace's apps never share a key's
        // meaning, so summing them by key gives the namespace's requests.
        var served = new Dictionary<TrafficKey, long>();
        var mirrored = new Dictionary<TrafficKey, long>();
        foreach (var app in Simulator.Apps.Where(a => a.Namespace == ns))
        {
            var stats = Simulator.Statistics(app.Namespace, app.Name);
            foreach (var (key, value) in stats.Served)
            {
                served[key] = served.GetValueOrDefault(key) + value;
            }

            foreach (var (key, value) in stats.Mirrored)
            {
                mirrored[key] = mirrored.GetValueOrDefault(key) + value;
            }
        }

        return new TrafficStatistics(served, mirrored);
    }

    private static bool AllReady(SegmentRoute route) => route.Backends.Where(b => b.Share > 0).All(b => b.ReadyPods == 2);

    private async Task WaitForRoutesAsync(Func<TrafficApp, SegmentRoute, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!Simulator.Apps.All(a => Simulator.Preview(a.Namespace, a.Name).All(r => condition(a, r))))
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>Waits until Prometheus holds a successful scrape stamped after <paramref name="after"/>; returns its timestamp.</summary>
    private async Task<DateTimeOffset> ScrapeAfterAsync(DateTimeOffset after)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var query = $"up{{job=\"{new PrometheusRunnerOptions().JobName}\"}}[30s]";
        while (true)
        {
            var uri = new Uri(Prometheus.Url, $"api/v1/query?query={Uri.EscapeDataString(query)}");
            using (var json = await GetAsync(uri))
            {
                foreach (var series in json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
                {
                    foreach (var point in series.GetProperty("values").EnumerateArray())
                    {
                        var stamp = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(point[0].GetDouble() * 1000));
                        if (stamp > after && point[1].GetString() == "1")
                        {
                            return stamp;
                        }
                    }
                }
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    private async Task<JsonDocument> GetAsync(Uri uri)
    {
        using var response = await _http.GetAsync(uri);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Prometheus {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    private T Own<T>(T part)
        where T : IAsyncDisposable
    {
        _owned.Push(part);
        return part;
    }
}
