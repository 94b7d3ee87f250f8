using System.Net;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Traffic.Podinfo;
using Canary.Sandbox.Workloads;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>
/// podinfo's routes over real HTTP through the <see cref="ServiceProxy"/>, as Flagger's e2e uses them (load tests on
/// <c>/status/500</c> and <c>/delay/1</c>, the acceptance test's <c>POST /token</c>), counted with the status returned
/// and the time spent; and the simulated clients' path honouring the same routes. The simulator runs on a fake clock:
/// a request is answered only once the test advances it past the pod's latency (and any delay).
/// </summary>
public sealed class PodinfoRoutesTests(TrafficClusterFixture fixture) : IClassFixture<TrafficClusterFixture>
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> Fast = new() { [SandboxAnnotations.LatencyP50] = "1ms" };

    [Fact]
    public async Task Status_500_answers_500_with_podinfo_json_and_is_counted_as_a_500_of_the_canary_workload()
    {
        var ns = await fixture.PodinfoAsync(canaryAnnotations: Fast, primaryAnnotations: Fast);
        await using var run = await ProxyRun.StartAsync(fixture);

        using var failing = await run.SendAsync(HttpMethod.Get, $"http://podinfo-canary.{ns}:9898/status/500");
        Assert.Equal(HttpStatusCode.InternalServerError, failing.Response.StatusCode);
        Assert.Equal("{\n  \"status\": 500\n}", await failing.Response.Content.ReadAsStringAsync());
        Assert.Equal("application/json; charset=utf-8", failing.Response.Content.Headers.ContentType?.ToString());
        Assert.StartsWith("podinfo-", failing.Response.Headers.GetValues("X-Sandbox-Pod").Single(), StringComparison.Ordinal);

        using var created = await run.SendAsync(HttpMethod.Post, $"http://podinfo-canary.{ns}:9898/status/201");
        Assert.Equal(HttpStatusCode.Created, created.Response.StatusCode);
        Assert.Equal("{\n  \"status\": 201\n}", await created.Response.Content.ReadAsStringAsync());

        // No body on a 204, as Go's net/http drops it.
        using var empty = await run.SendAsync(HttpMethod.Get, $"http://podinfo-canary.{ns}:9898/status/204");
        Assert.Equal(HttpStatusCode.NoContent, empty.Response.StatusCode);
        Assert.Equal(string.Empty, await empty.Response.Content.ReadAsStringAsync());

        var statistics = run.Simulator.Statistics(ns, "podinfo-canary");
        Assert.Equal(1, statistics.Count(k => k.Workload == "podinfo" && k.StatusCode == 500));
        Assert.Equal(1, statistics.Count(k => k.Workload == "podinfo" && k.StatusCode == 201));
        Assert.Equal(3, statistics.Total);
        var counts = run.Histogram(ns, "http_request_duration_seconds_count");
        Assert.Equal(1, counts.Where(s => s.Label("path") == "/status/500" && s.Label("status") == "500" && s.Label("method") == "GET").Sum(s => s.Value));
        Assert.Equal(1, counts.Where(s => s.Label("path") == "/status/201" && s.Label("status") == "201" && s.Label("method") == "POST").Sum(s => s.Value));
        Assert.All(counts, s => Assert.DoesNotContain("podinfo-primary-", s.Label("kubernetes_pod_name"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delay_1_answers_after_a_second_of_the_injected_clock_and_records_that_latency()
    {
        var ns = await fixture.PodinfoAsync(canaryAnnotations: Fast, primaryAnnotations: Fast);
        await using var run = await ProxyRun.StartAsync(fixture);

        using var delayed = await run.SendAsync(HttpMethod.Get, $"http://podinfo.{ns}:9898/delay/1", advanceFirst: TimeSpan.FromMilliseconds(999));
        Assert.False(delayed.AnsweredAfterFirstAdvance, "answered before one second of the simulator's clock");
        Assert.True(delayed.Advanced >= TimeSpan.FromSeconds(1), $"answered after {delayed.Advanced}");
        Assert.Equal(HttpStatusCode.OK, delayed.Response.StatusCode);
        Assert.Equal("{\n  \"delay\": 1\n}", await delayed.Response.Content.ReadAsStringAsync());

        var sum = run.Histogram(ns, "http_request_duration_seconds_sum").Single(s => s.Label("path") == "/delay/1");
        Assert.Equal("200", sum.Label("status"));
        Assert.InRange(sum.Value, 1.0, 1.5);
        Assert.Equal(0, run.Histogram(ns, "http_request_duration_seconds_bucket").Single(s => s.Label("path") == "/delay/1" && s.Label("le") == "1").Value);
    }

    [Fact]
    public async Task Post_token_answers_a_jwt_named_after_the_body_and_get_token_is_405()
    {
        var ns = await fixture.PodinfoAsync(canaryAnnotations: Fast, primaryAnnotations: Fast);
        await using var run = await ProxyRun.StartAsync(fixture);

        // Flagger's acceptance test: curl -sd 'test' http://podinfo-canary.ns:9898/token | grep token
        using var posted = await run.SendAsync(HttpMethod.Post, $"http://podinfo-canary.{ns}:9898/token", "test");
        Assert.Equal(HttpStatusCode.OK, posted.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", posted.Response.Content.Headers.ContentType?.ToString());
        var token = Jwt.Read(await posted.Response.Content.ReadAsStringAsync());
        Assert.Equal("test", token.Name);
        // Minted when the pod handled it: before any advance (the test advances only once the request is counted).
        Assert.Equal(Start.AddMinutes(1), token.Expires);
        Assert.Equal("2025-01-01T00:01:00Z", token.ExpiresAt);

        using var got = await run.SendAsync(HttpMethod.Get, $"http://podinfo-canary.{ns}:9898/token");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, got.Response.StatusCode);
        Assert.Equal(string.Empty, await got.Response.Content.ReadAsStringAsync());
        Assert.Equal(1, run.Simulator.Statistics(ns, "podinfo-canary").Count(k => k.StatusCode == 405));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_routes_answer_ok_and_only_to_get(string path)
    {
        var ns = await fixture.PodinfoAsync(canaryAnnotations: Fast, primaryAnnotations: Fast);
        await using var run = await ProxyRun.StartAsync(fixture);

        using var ok = await run.SendAsync(HttpMethod.Get, $"http://podinfo.{ns}:9898{path}");
        Assert.Equal(HttpStatusCode.OK, ok.Response.StatusCode);
        Assert.Equal("{\n  \"status\": \"OK\"\n}", await ok.Response.Content.ReadAsStringAsync());
        using var posted = await run.SendAsync(HttpMethod.Post, $"http://podinfo.{ns}:9898{path}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, posted.Response.StatusCode);
    }

    [Fact]
    public async Task A_failing_pod_answers_500_whatever_the_path_without_the_delay()
    {
        var ns = await fixture.PodinfoAsync(
            canaryAnnotations: new() { [SandboxAnnotations.ErrorRate] = "1", [SandboxAnnotations.LatencyP50] = "1ms" },
            primaryAnnotations: Fast);
        await using var run = await ProxyRun.StartAsync(fixture);

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/healthz"), (HttpMethod.Get, "/readyz"), (HttpMethod.Post, "/token"), (HttpMethod.Get, "/status/201"), (HttpMethod.Get, "/delay/1") })
        {
            using var sent = await run.SendAsync(method, $"http://podinfo-canary.{ns}:9898{path}", "test");
            Assert.Equal(HttpStatusCode.InternalServerError, sent.Response.StatusCode);
            Assert.Equal("simulated error\n", await sent.Response.Content.ReadAsStringAsync());
        }

        Assert.Equal(5, run.Simulator.Statistics(ns, "podinfo-canary").Count(k => k.Workload == "podinfo" && k.StatusCode == 500));
        Assert.Equal(5, run.Simulator.Statistics(ns, "podinfo-canary").Total);
        // The bug answers before the handler runs: the /delay/1 request took the pod's latency only.
        Assert.True(run.Histogram(ns, "http_request_duration_seconds_sum").Single(s => s.Label("path") == "/delay/1").Value < 1);
    }

    [Theory]
    [InlineData("/status/500", 500, 0.0)]
    [InlineData("/status/201", 201, 0.0)]
    [InlineData("/delay/1", 200, 1.0)]
    [InlineData("/token", 405, 0.0)]
    [InlineData("/", 200, 0.0)]
    public async Task Simulated_clients_get_podinfos_answer_to_their_path(string path, int status, double delaySeconds)
    {
        var ns = await fixture.PodinfoAsync(primaryAnnotations: Fast);
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = "kubernetes", RequestsPerSecond = 100, Path = path });

        var served = run.Run(TimeSpan.FromSeconds(1));
        Assert.True(served.Total > 0);
        Assert.Equal(served.Total, served.Count(k => k.Workload == "podinfo-primary" && k.StatusCode == status));
        using var text = new StringWriter();
        run.Simulator.WriteMetrics(text);
        var histogram = Exposition.Parse(text.ToString()).Where(s => s.Label("kubernetes_namespace") == ns && s.Label("path") == path).ToList();
        var count = histogram.Where(s => s.Name == "http_request_duration_seconds_count").Sum(s => s.Value);
        var sum = histogram.Where(s => s.Name == "http_request_duration_seconds_sum").Sum(s => s.Value);
        Assert.Equal(served.Total, count);
        // Each request: the pod's latency (1 ms median) plus the delay.
        Assert.InRange(sum / count, delaySeconds, delaySeconds + 0.1);
    }

    /// <summary>A simulator on a fake clock behind a <see cref="ServiceProxy"/>, and a client through the proxy.</summary>
    private sealed class ProxyRun : IAsyncDisposable
    {
        private readonly FakeTimeProvider _time;
        private readonly ServiceProxy _proxy;
        private readonly HttpClient _http;

        private ProxyRun(TrafficSimulator simulator, FakeTimeProvider time, ServiceProxy proxy)
        {
            Simulator = simulator;
            _time = time;
            _proxy = proxy;
            _http = new HttpClient(new HttpClientHandler { Proxy = new WebProxy(proxy.Url), UseProxy = true });
        }

        public TrafficSimulator Simulator { get; }

        public static async Task<ProxyRun> StartAsync(TrafficClusterFixture fixture)
        {
            var time = new FakeTimeProvider(Start);
            var simulator = new TrafficSimulator(fixture.Store, new TrafficSimulatorOptions { TimeProvider = time, Seed = 7 });
            await simulator.StartAsync();
            return new ProxyRun(simulator, time, await ServiceProxy.StartAsync(simulator));
        }

        /// <summary>
        /// Sends a request, waits (real time) until the simulator counted it, i.e. its pod answered and now waits out the
        /// latency on the fake clock, then advances that clock (<paramref name="advanceFirst"/> first, then 50 ms steps)
        /// until the answer arrives.
        /// </summary>
        public async Task<Sent> SendAsync(HttpMethod method, string url, string? body = null, TimeSpan? advanceFirst = null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var uri = new Uri(url);
            var (ns, service) = ServiceProxy.Resolve(uri.Host)!.Value;
            var before = Simulator.Statistics(ns, service).Total;
            using var request = new HttpRequestMessage(method, uri) { Content = body is null ? null : new StringContent(body) };
            var sending = _http.SendAsync(request, timeout.Token);
            while (Simulator.Statistics(ns, service).Total == before)
            {
                Assert.False(sending.IsCompleted, "answered before it was counted");
                await Task.Delay(5, timeout.Token);
            }

            var advanced = advanceFirst ?? TimeSpan.Zero;
            _time.Advance(advanced);
            // Time for a due timer's continuation to answer; an answer not due yet cannot arrive, however long this is.
            await Task.WhenAny(sending, Task.Delay(50, timeout.Token));
            var afterFirst = sending.IsCompleted;
            while (!sending.IsCompleted)
            {
                _time.Advance(TimeSpan.FromMilliseconds(50));
                advanced += TimeSpan.FromMilliseconds(50);
                await Task.WhenAny(sending, Task.Delay(10, timeout.Token));
                timeout.Token.ThrowIfCancellationRequested();
            }

            return new Sent(await sending, advanced, afterFirst && advanceFirst is not null);
        }

        /// <summary>The app's histogram series of namespace <paramref name="ns"/> named <paramref name="name"/>.</summary>
        public List<Sample> Histogram(string ns, string name)
        {
            using var text = new StringWriter();
            Simulator.WriteMetrics(text);
            return [.. Exposition.Parse(text.ToString()).Where(s => s.Name == name && s.Label("kubernetes_namespace") == ns)];
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _proxy.DisposeAsync();
            await Simulator.DisposeAsync();
        }
    }

    /// <summary>An answer and how far the fake clock was advanced for it.</summary>
    private sealed record Sent(HttpResponseMessage Response, TimeSpan Advanced, bool AnsweredAfterFirstAdvance) : IDisposable
    {
        public void Dispose() => Response.Dispose();
    }
}
