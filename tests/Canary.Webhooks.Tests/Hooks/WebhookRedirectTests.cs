using Canary.Api.Http;
using Canary.Api.V1Beta1;
using Canary.Webhooks.Hooks;
using Canary.Webhooks.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Webhooks.Tests.Hooks;

/// <summary>
/// Redirects are followed within the hook's origin only: two loopback servers on different ports are different origins,
/// and a refused redirect sends nothing to the other one.
/// </summary>
public sealed class WebhookRedirectTests : IAsyncLifetime, IDisposable
{
    private readonly CancellationTokenSource _guard = new(TimeSpan.FromSeconds(30));
    private LoopbackServer _other = null!;

    public async Task InitializeAsync() => _other = await LoopbackServer.StartAsync(new ServerReply(200, "other"));

    public async Task DisposeAsync() => await _other.DisposeAsync();

    public void Dispose() => _guard.Dispose();

    private Task<WebhookResult> CallAsync(ServiceProvider services, CanaryWebhook hook) =>
        services.GetRequiredService<IWebhookClient>().CallAsync(
            hook, WebhookPayloadFactory.Create(TestCanaries.Podinfo([hook]), hook, CanaryPhase.Progressing), _guard.Token);

    // /a redirects with the given status to the location; every other path answers 200 "b".
    private static Task<LoopbackServer> RedirectingServerAsync(int status, string location) =>
        LoopbackServer.StartAsync((context, request, _, ct) => request.Path == "/a"
            ? Misbehaving.Redirects(context, status, location)
            : context.Response.WriteAsync("b", ct));

    [Fact]
    public async Task A_307_within_the_origin_is_followed_with_the_method_and_the_body()
    {
        await using var services = Services.Build();
        await using var server = await RedirectingServerAsync(307, "/b");

        var result = await CallAsync(services, TestCanaries.Hook("gate", server.Url("/a")));

        Assert.True(result.Passed, result.Reason);
        Assert.Equal("b", result.Body);
        Assert.Collection(
            server.Requests,
            first => Assert.Equal(("POST", "/a"), (first.Method, first.Path)),
            second => Assert.Equal(("POST", "/b", server.Requests[0].Body), (second.Method, second.Path, second.Body)));
        Assert.NotEmpty(server.Requests[0].Body);
    }

    [Fact]
    public async Task A_302_within_the_origin_turns_the_post_into_a_get_without_body()
    {
        await using var services = Services.Build();
        await using var server = await RedirectingServerAsync(302, "/b");

        var result = await CallAsync(services, TestCanaries.Hook("gate", server.Url("/a")));

        Assert.True(result.Passed, result.Reason);
        var second = server.Requests[1];
        Assert.Equal(("GET", "/b", ""), (second.Method, second.Path, second.Body));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_redirect_to_another_origin_is_refused_not_retried_and_the_other_server_gets_nothing(bool disableTls)
    {
        await using var services = Services.Build();
        await using var server = await RedirectingServerAsync(307, _other.Url("/b").AbsoluteUri);
        var hook = TestCanaries.Hook("gate", server.Url("/a"), retries: 2);
        hook.DisableTls = disableTls; // the insecure client follows the same policy

        var result = await CallAsync(services, hook);

        Assert.Equal(WebhookFailure.HttpStatus, result.Failure);
        Assert.Equal($"HTTP 307: redirect to {_other.BaseAddress} refused: only same-origin redirects are followed", result.Reason);
        Assert.Equal(1, result.Attempts);
        Assert.Single(server.Requests);
        Assert.Empty(_other.Requests);
    }

    [Fact]
    public async Task A_redirect_to_a_host_in_AllowedRedirectHosts_is_followed()
    {
        var allowed = $"{_other.BaseAddress.Host}:{_other.BaseAddress.Port}";
        await using var services = Services.Build(outbound: o => o.AllowedRedirectHosts.Add(allowed));
        await using var server = await RedirectingServerAsync(307, _other.Url("/b").AbsoluteUri);

        var result = await CallAsync(services, TestCanaries.Hook("gate", server.Url("/a")));

        Assert.True(result.Passed, result.Reason);
        Assert.Equal("other", result.Body);
        var forwarded = Assert.Single(_other.Requests);
        Assert.Equal(("POST", "/b", server.Requests[0].Body), (forwarded.Method, forwarded.Path, forwarded.Body));
    }

    [Fact]
    public async Task A_redirect_loop_within_the_origin_stops_after_MaxRedirects()
    {
        await using var services = Services.Build();
        await using var server = await RedirectingServerAsync(307, "/a");

        var result = await CallAsync(services, TestCanaries.Hook("loop", server.Url("/a"), retries: 2));

        Assert.Equal(WebhookFailure.HttpStatus, result.Failure);
        Assert.Equal($"HTTP 307: redirect to {server.BaseAddress} refused: more than {new OutboundHttpOptions().MaxRedirects} redirects", result.Reason);
        Assert.Equal(new OutboundHttpOptions().MaxRedirects + 1, server.Requests.Count);
    }
}
