using System.Security.Authentication;
using Canary.Sandbox.ApiServer.Auth;
using Canary.Webhooks.Alerts;
using Canary.Webhooks.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Webhooks.Tests.Alerts;

/// <summary>
/// Alert posts against receivers that stall, flood, redirect elsewhere or present an untrusted certificate: each fails
/// (or passes) on its own within the alert timeout and the body bound.
/// </summary>
public sealed class AlertHostileReceiverTests : IDisposable
{
    private static readonly object Payload = new { text = "canary podinfo.test failed" };

    private readonly CancellationTokenSource _guard = new(TimeSpan.FromSeconds(30));

    public void Dispose() => _guard.Dispose();

    // A 1 s timeout where the test is about it; elsewhere a generous one, so a loaded machine never turns a slow answer
    // into a retry (a redirect test saw its alert posted twice on a busy CI run).
    private static ServiceProvider Services(Action<Canary.Api.Http.OutboundHttpOptions>? outbound = null, double timeoutSeconds = 30) =>
        AlertServices.Build(o => o.Timeout = TimeSpan.FromSeconds(timeoutSeconds), outbound);

    private Task PostAsync(ServiceProvider services, Uri address, Uri? proxy = null) =>
        services.GetRequiredService<AlertHttpSender>().PostJsonAsync(
            new AlertEndpoint("slack", address, "general", "canary", Proxy: proxy), address, Payload, _guard.Token);

    [Fact]
    public async Task A_receiver_that_never_answers_fails_after_the_timeout_while_a_healthy_one_posted_meanwhile_passes()
    {
        await using var services = Services(timeoutSeconds: 1);
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hostile = await LoopbackServer.StartAsync((_, _, _, ct) =>
        {
            stalled.TrySetResult();
            return Misbehaving.NeverAnswers(ct);
        });
        await using var healthy = await LoopbackServer.StartAsync(ServerReply.Ok);

        var stuck = PostAsync(services, hostile.Url("/hook"));
        await stalled.Task.WaitAsync(_guard.Token);
        await PostAsync(services, healthy.Url("/hook"));
        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => stuck);

        Assert.Equal("slack: no answer within 1s", ex.Message);
        Assert.Single(healthy.Requests);
    }

    [Fact]
    public async Task A_2xx_receiver_that_streams_forever_is_delivered_without_reading_it_all()
    {
        await using var services = Services(timeoutSeconds: 1);
        await using var server = await LoopbackServer.StartAsync((context, _, _, ct) => Misbehaving.StreamsForever(context, 200, ct));

        await PostAsync(services, server.Url("/hook"));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_failing_receiver_that_streams_forever_fails_with_the_start_of_its_body()
    {
        await using var services = Services(timeoutSeconds: 1); // retries 1: the 500 is retried once, each read bounded
        await using var server = await LoopbackServer.StartAsync((context, _, _, ct) => Misbehaving.StreamsForever(context, 500, ct));

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => PostAsync(services, server.Url("/hook")));

        Assert.Equal("slack: HTTP 500 Internal Server Error: " + new string('x', 512), ex.Message);
    }

    [Fact]
    public async Task A_receiver_that_trickles_its_body_fails_after_the_timeout()
    {
        await using var services = Services(timeoutSeconds: 1); // 512 characters at 10 per second would take 51 s
        await using var server = await LoopbackServer.StartAsync((context, _, _, ct) => Misbehaving.Trickles(context, ct));

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => PostAsync(services, server.Url("/hook")));

        Assert.Equal("slack: no answer within 1s", ex.Message);
    }

    [Fact]
    public async Task A_self_signed_certificate_is_rejected_alerts_verify_tls()
    {
        await using var services = Services();
        using var certificate = ServingCertificate.Create();
        await using var server = await LoopbackServer.StartAsync(ServerReply.Ok, certificate);

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => PostAsync(services, server.Url("/hook")));

        Assert.IsType<AuthenticationException>(ex.InnerException?.InnerException);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_redirect_within_the_origin_is_followed()
    {
        await using var services = Services();
        await using var server = await LoopbackServer.StartAsync((context, request, _, ct) => request.Path == "/old"
            ? Misbehaving.Redirects(context, 308, "/new")
            : context.Response.WriteAsync("ok", ct));

        await PostAsync(services, server.Url("/old"));

        Assert.Equal(["/old", "/new"], server.Requests.Select(r => r.Path));
        Assert.Equal(server.Requests[0].Body, server.Requests[1].Body);
    }

    [Fact]
    public async Task A_redirect_to_another_origin_is_refused_and_the_other_server_gets_nothing()
    {
        await using var services = Services();
        await using var other = await LoopbackServer.StartAsync(ServerReply.Ok);
        await using var server = await LoopbackServer.StartAsync((context, _, _, _) => Misbehaving.Redirects(context, 307, other.Url("/steal").AbsoluteUri));

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => PostAsync(services, server.Url("/hook")));

        Assert.Equal($"slack: redirect to {other.BaseAddress} refused: only same-origin redirects are followed", ex.Message);
        Assert.Single(server.Requests); // not retried
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task A_redirect_to_another_origin_is_refused_through_a_proxy_too()
    {
        await using var services = Services();
        await using var other = await LoopbackServer.StartAsync(ServerReply.Ok);
        // The loopback server plays the proxy: it gets the absolute-form request for the (unresolvable) receiver and
        // answers for it with a redirect to the other server.
        await using var proxy = await LoopbackServer.StartAsync((context, _, _, _) => Misbehaving.Redirects(context, 302, other.Url("/steal").AbsoluteUri));

        var ex = await Assert.ThrowsAsync<AlertDeliveryException>(() => PostAsync(services, new Uri("http://chat.example.invalid/hook"), proxy.BaseAddress));

        Assert.Equal($"slack: redirect to {other.BaseAddress} refused: only same-origin redirects are followed", ex.Message);
        Assert.Equal("chat.example.invalid", Assert.Single(proxy.Requests).Host);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task A_redirect_to_a_host_in_AllowedRedirectHosts_is_followed()
    {
        await using var other = await LoopbackServer.StartAsync(ServerReply.Ok);
        await using var services = Services(o => o.AllowedRedirectHosts.Add($"{other.BaseAddress.Host}:{other.BaseAddress.Port}"));
        await using var server = await LoopbackServer.StartAsync((context, _, _, _) => Misbehaving.Redirects(context, 307, other.Url("/moved").AbsoluteUri));

        await PostAsync(services, server.Url("/hook"));

        Assert.Equal("/moved", Assert.Single(other.Requests).Path);
    }
}
