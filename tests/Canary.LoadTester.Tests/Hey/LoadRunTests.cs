using System.Collections.Concurrent;
using System.Text;
using Canary.LoadTester.Commands;
using Canary.LoadTester.Hey;
using Canary.LoadTester.Tests.Infrastructure;
using Canary.Sandbox.ApiServer.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Canary.LoadTester.Tests.Hey;

/// <summary>
/// hey's flags, each seen at a real Kestrel target: what it receives, how many, when (on a fake clock, so counts and
/// schedules are exact), how many at once.
/// </summary>
public sealed class LoadRunTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    private static HeyOptions Hey(string flags, Uri url) => HeyCommand.Parse([.. ShellWords.Split(flags), url.ToString()]);

    /// <summary>A target that records each request with the fake clock's elapsed time when it arrived.</summary>
    private sealed class Target : IAsyncDisposable
    {
        private readonly DateTimeOffset _start;
        private readonly FakeTimeProvider? _clock;

        private Target(FakeTimeProvider? clock)
        {
            _clock = clock;
            _start = clock?.GetUtcNow() ?? default;
        }

        public ConcurrentQueue<(TimeSpan At, RecordedRequest Request, string Protocol)> Received { get; } = new();

        public LoopbackServer Server { get; private set; } = null!;

        public Uri Url => Server.Url("load");

        public static async Task<Target> StartAsync(
            FakeTimeProvider? clock = null, Func<HttpContext, int, CancellationToken, Task>? answer = null,
            System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
        {
            var target = new Target(clock);
            target.Server = await LoopbackServer.StartAsync(async (context, request, n, ct) =>
            {
                target.Received.Enqueue((clock is null ? TimeSpan.Zero : clock.GetUtcNow() - target._start, request, context.Request.Protocol));
                if (answer is null)
                {
                    context.Response.StatusCode = 200;
                    await context.Response.WriteAsync("ok", ct);
                }
                else
                {
                    await answer(context, n, ct);
                }
            }, certificate);
            return target;
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    [Fact]
    public async Task Rate_per_worker_times_workers_times_duration_q10_c2_z10s_sends_200_two_every_100ms()
    {
        var clock = new FakeTimeProvider();
        await using var target = await Target.StartAsync(clock);

        var summary = await FakeClockDriver.RunAsync(new LoadRun(Hey("-q 10 -c 2 -z 10s", target.Url), clock), clock, Step);

        Assert.Equal(200, target.Received.Count);
        var slots = target.Received.GroupBy(r => r.At).OrderBy(g => g.Key).ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => TimeSpan.FromMilliseconds(100 * i)), slots.Select(s => s.Key));
        Assert.All(slots, s => Assert.Equal(2, s.Count()));
        Assert.Equal(200, summary.Requests);
        Assert.Equal(0, summary.Errors);
        Assert.Equal(TimeSpan.FromSeconds(10), summary.Duration);
        Assert.Equal(20, summary.RequestsPerSecond);
        Assert.Equal(200, summary.StatusCodes[200]);
    }

    [Fact]
    public async Task Rate_with_a_count_n20_c2_q5_sends_every_200ms_until_each_worker_sent_its_ten()
    {
        var clock = new FakeTimeProvider();
        await using var target = await Target.StartAsync(clock);

        var summary = await FakeClockDriver.RunAsync(new LoadRun(Hey("-n 20 -c 2 -q 5", target.Url), clock), clock, Step);

        Assert.Equal(Enumerable.Range(0, 10).SelectMany(i => Enumerable.Repeat(TimeSpan.FromMilliseconds(200 * i), 2)), target.Received.Select(r => r.At).Order());
        Assert.Equal(TimeSpan.FromMilliseconds(1800), summary.Duration);
    }

    [Fact]
    public async Task A_slow_answer_makes_the_worker_skip_ticks_instead_of_bursting_like_a_go_ticker()
    {
        var clock = new FakeTimeProvider();
        await using var target = await Target.StartAsync(clock, async (context, n, ct) =>
        {
            if (n == 1)
            {
                clock.Advance(TimeSpan.FromMilliseconds(250)); // the first answer takes 250 ms: ticks at 100 and 200 ms are missed
            }

            await context.Response.WriteAsync("ok", ct);
        });

        var summary = await FakeClockDriver.RunAsync(new LoadRun(Hey("-q 10 -c 1 -z 1s", target.Url), clock), clock, Step);

        int[] expected = [0, 250, 300, 400, 500, 600, 700, 800, 900];
        Assert.Equal(expected.Select(ms => TimeSpan.FromMilliseconds(ms)), target.Received.Select(r => r.At));
        Assert.Equal(9, summary.Requests);
        Assert.Equal(TimeSpan.FromMilliseconds(250), summary.Slowest);
    }

    [Theory]
    [InlineData("-n 50 -c 5", 50)]
    [InlineData("-n 52 -c 5", 50)] // hey sends n/c per worker: the remainder is never sent
    [InlineData("-n 1 -c 1", 1)]
    [InlineData("-n 200 -c 50", 200)]
    public async Task A_count_sends_exactly_n_over_c_per_worker(string flags, int expected)
    {
        await using var target = await Target.StartAsync();

        var summary = await new LoadRun(Hey(flags, target.Url), TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.Equal(expected, target.Received.Count);
        Assert.Equal(expected, summary.Requests);
        Assert.Equal(expected, summary.StatusCodes[200]);
    }

    [Fact]
    public async Task A_duration_without_rate_sends_until_it_has_passed()
    {
        var clock = new FakeTimeProvider();
        await using var target = await Target.StartAsync(clock, async (context, _, ct) =>
        {
            clock.Advance(TimeSpan.FromSeconds(1)); // every answer takes a second
            await context.Response.WriteAsync("ok", ct);
        });

        var summary = await new LoadRun(Hey("-c 1 -z 10s -n 3", target.Url), clock).RunAsync(CancellationToken.None);

        Assert.Equal(10, target.Received.Count); // -n is ignored with -z
        Assert.Equal(Enumerable.Range(0, 10).Select(i => TimeSpan.FromSeconds(i)), target.Received.Select(r => r.At));
        Assert.Equal(TimeSpan.FromSeconds(10), summary.Duration);
    }

    [Fact]
    public async Task Concurrency_at_the_target_reaches_c_and_never_exceeds_it()
    {
        var inFlight = 0;
        var maxInFlight = 0;
        var firstFour = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var target = await Target.StartAsync(answer: async (context, n, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            // The first four requests are held until all four have arrived (10 s at most), so the peak of c is reached;
            // the rest are answered after 2 ms, each worker sending its next one as soon as its answer came.
            if (n == 4)
            {
                firstFour.TrySetResult();
            }

            if (n <= 4)
            {
                await firstFour.Task.WaitAsync(TimeSpan.FromSeconds(10), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await Task.Delay(2, ct);
            Interlocked.Decrement(ref inFlight);
            await context.Response.WriteAsync("ok", ct);
        });

        var summary = await new LoadRun(Hey("-n 40 -c 4", target.Url), TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.Equal(40, summary.Requests);
        Assert.Equal(4, maxInFlight);
    }

    [Fact]
    public async Task Method_headers_body_content_type_accept_host_user_agent_and_basic_auth_are_sent()
    {
        await using var target = await Target.StartAsync();

        await new LoadRun(
            Hey("-n 3 -c 1 -m put -H 'X-Trace-Id: abc' -H 'x-canary: true' -d '{\"load\":1}' -T application/json -A application/xml -host podinfo.example -U bench -a user:secret", target.Url),
            TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.Equal(3, target.Received.Count);
        Assert.All(target.Received, r =>
        {
            var request = r.Request;
            Assert.Equal("PUT", request.Method);
            Assert.Equal("/load", request.Path);
            Assert.Equal("{\"load\":1}", request.Body);
            Assert.Equal("abc", request.Headers["X-Trace-Id"]);
            Assert.Equal("true", request.Headers["X-Canary"]);
            Assert.Equal("application/json", request.Headers["Content-Type"]);
            Assert.Equal("application/xml", request.Headers["Accept"]);
            Assert.Equal("podinfo.example", request.Host);
            Assert.Equal("bench hey/0.0.1", request.Headers["User-Agent"]);
            Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:secret")), request.Authorization);
            Assert.Equal("HTTP/1.1", r.Protocol);
        });
    }

    [Fact]
    public async Task Defaults_send_heys_get_with_its_content_type_user_agent_gzip_and_keep_alive()
    {
        await using var target = await Target.StartAsync();

        await new LoadRun(Hey("-n 2 -c 1", target.Url), TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.All(target.Received, r =>
        {
            Assert.Equal("GET", r.Request.Method);
            Assert.Equal("", r.Request.Body);
            Assert.Equal("text/html", r.Request.Headers["Content-Type"]);
            Assert.Equal("hey/0.0.1", r.Request.Headers["User-Agent"]);
            Assert.Equal("gzip", r.Request.Headers["Accept-Encoding"]);
            Assert.Equal(target.Server.BaseAddress.Authority, r.Request.Host);
            Assert.False(r.Request.Headers.ContainsKey("Connection"));
            Assert.False(r.Request.Headers.ContainsKey("Authorization"));
        });
    }

    [Fact]
    public async Task Disable_compression_and_keepalive_change_the_request_headers()
    {
        await using var target = await Target.StartAsync();

        await new LoadRun(Hey("-n 2 -c 1 -disable-compression -disable-keepalive", target.Url), TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.All(target.Received, r =>
        {
            Assert.False(r.Request.Headers.ContainsKey("Accept-Encoding"));
            Assert.Equal("close", r.Request.Headers["Connection"]);
        });
    }

    [Fact]
    public async Task Redirects_are_followed_unless_disabled_and_then_a_302_counts_as_an_error()
    {
        static Task Redirect(HttpContext context, int n, CancellationToken ct)
        {
            if (context.Request.Path == "/load")
            {
                context.Response.Redirect("/final");
                return Task.CompletedTask;
            }

            return context.Response.WriteAsync("ok", ct);
        }

        await using var following = await Target.StartAsync(answer: Redirect);
        var followed = await new LoadRun(Hey("-n 2 -c 1", following.Url), TimeProvider.System).RunAsync(CancellationToken.None);
        await using var stopping = await Target.StartAsync(answer: Redirect);
        var stopped = await new LoadRun(Hey("-n 2 -c 1 -disable-redirects", stopping.Url), TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.Equal(["/load", "/final", "/load", "/final"], following.Received.Select(r => r.Request.Path));
        Assert.Equal(2, followed.StatusCodes[200]);
        Assert.Equal(0, followed.Errors);
        Assert.Equal(["/load", "/load"], stopping.Received.Select(r => r.Request.Path));
        Assert.Equal(2, stopped.StatusCodes[302]);
        Assert.Equal(2, stopped.Errors);
    }

    [Fact]
    public async Task Non_2xx_answers_are_errors_counted_by_status_code()
    {
        await using var target = await Target.StartAsync(answer: (context, n, ct) =>
        {
            context.Response.StatusCode = n % 4 == 0 ? 503 : n % 4 == 1 ? 404 : 200;
            return context.Response.WriteAsync("x", ct);
        });

        var summary = await new LoadRun(Hey("-n 20 -c 1", target.Url), TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.Equal(20, summary.Requests);
        Assert.Equal(10, summary.StatusCodes[200]);
        Assert.Equal(5, summary.StatusCodes[404]);
        Assert.Equal(5, summary.StatusCodes[503]);
        Assert.Equal(10, summary.Errors);
        Assert.Contains("[503]\t5 responses", summary.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_t_timeout_ends_a_request_without_answer_and_counts_it_as_an_error()
    {
        var clock = new FakeTimeProvider();
        await using var target = await Target.StartAsync(clock, (_, _, ct) => Misbehaving.NeverAnswers(ct));
        var run = new LoadRun(Hey("-n 2 -c 2 -t 1", target.Url), clock);

        var running = run.RunAsync(CancellationToken.None);
        await FakeClockDriver.UntilAsync(() => target.Received.Count == 2, "both requests at the target");
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(running.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var summary = await running;

        Assert.Equal(2, summary.Requests);
        Assert.Equal(2, summary.Errors);
        Assert.Empty(summary.StatusCodes);
        var (message, count) = Assert.Single(summary.TransportErrors);
        Assert.Equal(2, count);
        Assert.Contains("timeout after 1s", message, StringComparison.Ordinal);
        Assert.Contains("Error distribution:", summary.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_a_transport_error()
    {
        Uri closed;
        await using (var gone = await Target.StartAsync())
        {
            closed = gone.Url;
        }

        var summary = await new LoadRun(Hey("-n 3 -c 1 -t 5", closed), TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.Equal(3, summary.Requests);
        Assert.Equal(3, summary.Errors);
        Assert.StartsWith("Get \"" + closed + "\": ", Assert.Single(summary.TransportErrors).Key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Latency_percentiles_come_from_the_clock()
    {
        var clock = new FakeTimeProvider();
        await using var target = await Target.StartAsync(clock, async (context, n, ct) =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(n)); // the n-th answer takes n ms
            await context.Response.WriteAsync("ok", ct);
        });

        var summary = await new LoadRun(Hey("-n 100 -c 1", target.Url), clock).RunAsync(CancellationToken.None);

        Assert.Equal(TimeSpan.FromMilliseconds(1), summary.Fastest);
        Assert.Equal(TimeSpan.FromMilliseconds(100), summary.Slowest);
        Assert.Equal(TimeSpan.FromMilliseconds(50.5), summary.Average);
        AssertNear(50, summary.P50);
        AssertNear(90, summary.P90);
        AssertNear(99, summary.P99);
        Assert.Equal(TimeSpan.FromMilliseconds(5050), summary.Duration);
        Assert.Contains("99% in 0.0990 secs", summary.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_given_with_x_receives_the_requests_for_the_url()
    {
        await using var proxy = await Target.StartAsync();

        await new LoadRun(Hey($"-n 2 -c 1 -x {proxy.Server.BaseAddress.Authority}", new Uri("http://podinfo-canary.test:9898/status")), TimeProvider.System)
            .RunAsync(CancellationToken.None);

        Assert.Equal(2, proxy.Received.Count);
        Assert.All(proxy.Received, r =>
        {
            Assert.Equal("/status", r.Request.Path);
            Assert.Equal("podinfo-canary.test:9898", r.Request.Host);
        });
    }

    [Fact]
    public async Task Https_targets_with_any_certificate_are_loaded_and_h2_negotiates_http2()
    {
        using var certificate = ServingCertificate.Create();
        await using var target = await Target.StartAsync(certificate: certificate);
        var url = target.Url;

        var http11 = await new LoadRun(Hey("-n 1 -c 1", url), TimeProvider.System).RunAsync(CancellationToken.None);
        var http2 = await new LoadRun(Hey("-n 1 -c 1 -h2", url), TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.Equal(0, http11.Errors + http2.Errors);
        Assert.Equal(["HTTP/1.1", "HTTP/2"], target.Received.Select(r => r.Protocol));
    }

    [Fact]
    public async Task Cancelling_stops_the_run_and_marks_the_summary_interrupted()
    {
        var clock = new FakeTimeProvider();
        await using var target = await Target.StartAsync(clock);
        using var stop = new CancellationTokenSource();
        var run = new LoadRun(Hey("-q 1 -c 2 -z 1h", target.Url), clock);

        var running = run.RunAsync(stop.Token);
        await FakeClockDriver.UntilAsync(() => run.WaitingWorkers == 2, "both workers waiting for their second tick");
        await stop.CancelAsync();
        var summary = await running;

        Assert.True(summary.Interrupted);
        Assert.Equal(2, summary.Requests);
        Assert.Equal(0, run.WaitingWorkers);
    }

    private static void AssertNear(double milliseconds, TimeSpan actual) =>
        Assert.InRange(actual.TotalMilliseconds, milliseconds, milliseconds * 1.001);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
