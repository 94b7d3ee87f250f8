using Canary.Api.V1Beta1;
using Canary.Webhooks.Hooks;
using Canary.Webhooks.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Webhooks.Tests.Hooks;

/// <summary>A slow or hostile receiver costs its own hook at most its timeout and its body bound, and nobody else anything.</summary>
public sealed class WebhookHostileReceiverTests : IDisposable
{
    private readonly ServiceProvider _services = Services.Build();

    // Ends a test that would otherwise hang: a failure, never a wait for the CI job's timeout.
    private readonly CancellationTokenSource _guard = new(TimeSpan.FromSeconds(30));

    private IWebhookClient Client => _services.GetRequiredService<IWebhookClient>();

    public void Dispose()
    {
        _guard.Dispose();
        _services.Dispose();
    }

    private Task<WebhookResult> CallAsync(CanaryWebhook hook) =>
        Client.CallAsync(hook, WebhookPayloadFactory.Create(TestCanaries.Podinfo([hook]), hook, CanaryPhase.Progressing), _guard.Token);

    [Fact]
    public async Task A_receiver_that_never_answers_times_out_while_healthy_receivers_called_meanwhile_pass()
    {
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hostile = await LoopbackServer.StartAsync((context, request, _, ct) =>
        {
            if (request.Path == "/ok")
            {
                return context.Response.WriteAsync("ok", ct);
            }

            stalled.TrySetResult();
            return Misbehaving.NeverAnswers(ct);
        });
        await using var healthy = await LoopbackServer.StartAsync(ServerReply.Ok);

        var stuck = CallAsync(TestCanaries.Hook("stuck", hostile.Url("/stall"), timeout: "1s"));
        await stalled.Task.WaitAsync(_guard.Token);
        // While the hostile call holds its connection: another host, and another path of the same host (no pool limit).
        var other = await CallAsync(TestCanaries.Hook("other", healthy.BaseAddress, timeout: "10s"));
        var sameHost = await CallAsync(TestCanaries.Hook("same-host", hostile.Url("/ok"), timeout: "10s"));
        var result = await stuck;

        Assert.True(other.Passed, other.Reason);
        Assert.True(sameHost.Passed, sameHost.Reason);
        Assert.Equal(WebhookFailure.Timeout, result.Failure);
        Assert.Equal("timeout after 1s", result.Reason);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(500)]
    public async Task A_receiver_that_streams_forever_is_read_up_to_the_body_bound(int status)
    {
        await using var server = await LoopbackServer.StartAsync((context, _, _, ct) => Misbehaving.StreamsForever(context, status, ct));
        var bound = new WebhookOptions().MaxBodyLength;

        var result = await CallAsync(TestCanaries.Hook("flood", server.BaseAddress));

        Assert.Equal(status, result.StatusCode);
        Assert.Equal(new string('x', bound), result.Body);
        Assert.Equal(status == 200, result.Passed);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task A_receiver_that_sends_headers_then_trickles_its_body_is_cut_off_by_the_hook_timeout()
    {
        await using var server = await LoopbackServer.StartAsync((context, _, _, ct) => Misbehaving.Trickles(context, ct));

        // 1024 characters at 10 per second would take 100 s: only the timeout can end this call.
        var result = await CallAsync(TestCanaries.Hook("trickle", server.BaseAddress, timeout: "1s"));

        Assert.Equal(WebhookFailure.Timeout, result.Failure);
        Assert.Equal("timeout after 1s", result.Reason);
    }
}
