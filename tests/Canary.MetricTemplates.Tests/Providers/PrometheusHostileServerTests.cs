using System.Text;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Tests.Fixtures;
using Canary.Sandbox.ApiServer.Auth;
using Canary.Testing.Http;
using Microsoft.AspNetCore.Http;

namespace Canary.MetricTemplates.Tests.Providers;

/// <summary>
/// The Prometheus client against servers that stall, flood, redirect elsewhere or present an untrusted certificate:
/// each query ends within the attempt timeout and the answer size limit, with a result that says why.
/// </summary>
public sealed class PrometheusHostileServerTests : IDisposable
{
    // Ends a test that would otherwise hang: a failure, never a wait for the CI job's timeout.
    private readonly CancellationTokenSource _guard = new(TimeSpan.FromSeconds(30));

    public void Dispose() => _guard.Dispose();

    private static TestServices OneSecondNoRetry(Action<Canary.Api.Http.OutboundHttpOptions>? outbound = null, double seconds = 1) => new(o =>
    {
        o.Prometheus.AttemptTimeout = TimeSpan.FromSeconds(seconds);
        o.Prometheus.MaxRetryAttempts = 0;
    }, outbound);

    private Task<MetricQueryResult> QueryAsync(TestServices services, Uri address, bool insecureSkipVerify = false) =>
        services.Prometheus(address.ToString(), insecureSkipVerify: insecureSkipVerify).RunQueryAsync("up", _guard.Token);

    [Fact]
    public async Task A_server_that_never_answers_is_unreachable_after_the_timeout_while_a_healthy_one_queried_meanwhile_answers()
    {
        using var services = OneSecondNoRetry();
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hostile = await LoopbackServer.StartAsync((_, ct) =>
        {
            stalled.TrySetResult();
            return Misbehaving.NeverAnswers(ct);
        });
        await using var healthy = await LoopbackServer.StartAsync((context, ct) => PrometheusAnswers.Vector(context, "7", ct));

        var stuck = QueryAsync(services, hostile.BaseAddress);
        await stalled.Task.WaitAsync(_guard.Token);
        var other = await QueryAsync(services, healthy.BaseAddress);
        var result = await stuck;

        Assert.Equal(7d, other.Value);
        Assert.Equal(MetricQueryStatus.Unreachable, result.Status);
        Assert.Equal($"request to {hostile.BaseAddress} timed out after 1s", result.Detail);
    }

    [Fact]
    public async Task A_server_that_sends_headers_then_trickles_its_body_is_unreachable_after_the_timeout()
    {
        using var services = OneSecondNoRetry();
        await using var server = await LoopbackServer.StartAsync(Misbehaving.Trickles);

        var result = await QueryAsync(services, server.BaseAddress);

        Assert.Equal(MetricQueryStatus.Unreachable, result.Status);
        Assert.Equal($"request to {server.BaseAddress} timed out after 1s", result.Detail);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a Content-Length above the limit fails before reading
    public async Task An_answer_that_streams_forever_fails_at_the_size_limit_naming_the_address_and_the_limit_and_is_not_retried(bool declaresLength)
    {
        using var services = new TestServices(o => o.Prometheus.MaxResponseBytes = 64 * 1024);
        await using var server = await LoopbackServer.StartAsync((context, ct) => PrometheusAnswers.StreamsForever(context, ct, declaresLength ? 1L << 30 : null));

        var result = await QueryAsync(services, server.BaseAddress);

        Assert.Equal(MetricQueryStatus.Error, result.Status);
        Assert.Equal($"answer of {server.BaseAddress} is larger than the limit of 64 KiB", result.Detail);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task The_default_size_limit_is_4_MiB()
    {
        using var services = new TestServices();
        await using var server = await LoopbackServer.StartAsync((context, ct) => PrometheusAnswers.StreamsForever(context, ct));

        var result = await QueryAsync(services, server.BaseAddress);

        Assert.Equal(PrometheusClientOptions.DefaultMaxResponseBytes, new PrometheusClientOptions().MaxResponseBytes);
        Assert.Equal($"answer of {server.BaseAddress} is larger than the limit of 4 MiB", result.Detail);
    }

    [Fact]
    public async Task An_answer_within_the_limit_is_read_whole()
    {
        var body = $$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000.0,"3"]}]},"padding":"{{{new string(' ', 60 * 1024)}}}"}""";
        using var services = new TestServices(o => o.Prometheus.MaxResponseBytes = 64 * 1024);
        await using var server = await LoopbackServer.StartAsync((context, ct) => context.Response.WriteAsync(body, ct));

        var result = await QueryAsync(services, server.BaseAddress);

        Assert.Equal(3d, result.Value);
    }

    [Fact]
    public async Task A_redirect_within_the_origin_is_followed_with_the_credentials()
    {
        using var services = new TestServices();
        await using var server = await LoopbackServer.StartAsync((context, ct) => context.Request.Path == "/api/v1/query"
            ? Misbehaving.Redirects(context, 302, "/prometheus/api/v1/query" + context.Request.QueryString)
            : PrometheusAnswers.Vector(context, "5", ct));
        var provider = services.Prometheus(server.BaseAddress.ToString(), new Dictionary<string, byte[]> { ["token"] = Encoding.UTF8.GetBytes("t0k3n") });

        var result = await provider.RunQueryAsync("up", _guard.Token);

        Assert.Equal(5d, result.Value);
        Assert.Equal(
            [("/api/v1/query?query=up", "Bearer t0k3n"), ("/prometheus/api/v1/query?query=up", "Bearer t0k3n")],
            server.Requests.Select(r => (r.PathAndQuery, r.Authorization)));
    }

    [Fact]
    public async Task A_redirect_to_another_origin_is_refused_not_retried_and_the_other_server_gets_nothing()
    {
        using var services = new TestServices(); // retries 2
        await using var other = await LoopbackServer.StartAsync((context, ct) => PrometheusAnswers.Vector(context, "666", ct));
        await using var server = await LoopbackServer.StartAsync((context, _) => Misbehaving.Redirects(context, 302, new Uri(other.BaseAddress, "api/v1/query?query=up").AbsoluteUri));

        var result = await QueryAsync(services, server.BaseAddress);

        Assert.Equal(MetricQueryStatus.Error, result.Status);
        Assert.Equal($"request to {server.BaseAddress} failed: redirect to {other.BaseAddress} refused: only same-origin redirects are followed", result.Detail);
        Assert.Single(server.Requests);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task A_redirect_to_a_host_in_AllowedRedirectHosts_is_followed_without_the_credentials()
    {
        await using var other = await LoopbackServer.StartAsync((context, ct) => PrometheusAnswers.Vector(context, "9", ct));
        using var services = new TestServices(outbound: o => o.AllowedRedirectHosts.Add($"{other.BaseAddress.Host}:{other.BaseAddress.Port}"));
        await using var server = await LoopbackServer.StartAsync((context, _) => Misbehaving.Redirects(context, 307, new Uri(other.BaseAddress, "api/v1/query?query=up").AbsoluteUri));
        var provider = services.Prometheus(server.BaseAddress.ToString(), new Dictionary<string, byte[]> { ["token"] = Encoding.UTF8.GetBytes("t0k3n") });

        var result = await provider.RunQueryAsync("up", _guard.Token);

        Assert.Equal(9d, result.Value);
        Assert.Equal("Bearer t0k3n", Assert.Single(server.Requests).Authorization);
        Assert.Null(Assert.Single(other.Requests).Authorization);
    }

    [Fact]
    public async Task A_self_signed_certificate_is_rejected_unless_the_template_sets_insecureSkipVerify()
    {
        // Not about time: a loaded machine must not turn a slow handshake into a timeout.
        using var services = OneSecondNoRetry(seconds: 30);
        using var certificate = ServingCertificate.Create();
        await using var server = await LoopbackServer.StartAsync((context, ct) => PrometheusAnswers.Vector(context, "1", ct), certificate);
        Assert.Equal("https", server.BaseAddress.Scheme);

        var verified = await QueryAsync(services, server.BaseAddress);
        var skipped = await QueryAsync(services, server.BaseAddress, insecureSkipVerify: true);

        Assert.Equal(MetricQueryStatus.Unreachable, verified.Status);
        Assert.Contains("SSL connection could not be established", verified.Detail, StringComparison.Ordinal);
        Assert.Equal(1d, skipped.Value);
        Assert.Single(server.Requests); // the rejected handshake never got to send the query
    }

    [Fact]
    public async Task The_insecure_client_refuses_a_redirect_to_another_origin_too()
    {
        using var services = new TestServices();
        using var certificate = ServingCertificate.Create();
        await using var other = await LoopbackServer.StartAsync((context, ct) => PrometheusAnswers.Vector(context, "666", ct), certificate);
        await using var server = await LoopbackServer.StartAsync((context, _) => Misbehaving.Redirects(context, 302, other.BaseAddress.AbsoluteUri), certificate);

        var result = await QueryAsync(services, server.BaseAddress, insecureSkipVerify: true);

        Assert.Equal($"request to {server.BaseAddress} failed: redirect to {other.BaseAddress} refused: only same-origin redirects are followed", result.Detail);
        Assert.Empty(other.Requests);
    }
}
