using System.Net;
using System.Net.Sockets;
using Canary.Api.V1Beta1;
using Canary.Sandbox.ApiServer.Auth;
using Canary.Webhooks.Hooks;
using Canary.Webhooks.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Webhooks.Tests.Hooks;

public sealed class WebhookClientTests : IDisposable
{
    private readonly ServiceProvider _services = Services.Build();

    private IWebhookClient Client => _services.GetRequiredService<IWebhookClient>();

    public void Dispose() => _services.Dispose();

    private static Task<WebhookResult> CallAsync(IWebhookClient client, CanaryWebhook hook, CancellationToken cancellationToken = default) =>
        client.CallAsync(hook, WebhookPayloadFactory.Create(TestCanaries.Podinfo([hook]), hook, CanaryPhase.Progressing), cancellationToken);

    [Theory]
    [InlineData(WebhookTypes.ConfirmRollout, CanaryPhase.Initialized)]
    [InlineData(WebhookTypes.PreRollout, CanaryPhase.Progressing)]
    [InlineData("", CanaryPhase.Progressing)]
    [InlineData(WebhookTypes.ConfirmTrafficIncrease, CanaryPhase.Progressing)]
    [InlineData(WebhookTypes.ConfirmPromotion, CanaryPhase.Progressing)]
    [InlineData(WebhookTypes.PostRollout, CanaryPhase.Succeeded)]
    [InlineData(WebhookTypes.Rollback, CanaryPhase.WaitingPromotion)]
    public async Task Posts_the_golden_json_for_every_hook_type(string type, CanaryPhase phase)
    {
        await using var server = await LoopbackServer.StartAsync(ServerReply.Ok);
        var hook = TestCanaries.Hook("h", server.Url("/hook"), type, metadata: new Dictionary<string, string> { ["type"] = "bash", ["cmd"] = "curl -sd 'test' http://podinfo-canary:9898/token | grep token" });
        var canary = TestCanaries.Podinfo([hook]);
        var runner = _services.GetRequiredService<WebhookRunner>();
        Assert.True(WebhookTypeNames.TryParse(type, out var parsed));

        var report = await runner.RunAsync(canary, parsed, phase, CancellationToken.None);

        Assert.Single(report.Calls);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hook", request.Path);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        var checksum = CanaryChecksum.Compute(canary.Status);
        Assert.Equal(
            $$$"""{"name":"podinfo","namespace":"test","phase":"{{{phase}}}","checksum":"{{{checksum}}}","metadata":{"cmd":"curl -sd \u0027test\u0027 http://podinfo-canary:9898/token | grep token","type":"bash"}}""",
            request.Body);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(204)]
    public async Task A_2xx_answer_passes(int status)
    {
        await using var server = await LoopbackServer.StartAsync(new ServerReply(status, status == 204 ? "" : "Approved"));

        var result = await CallAsync(Client, TestCanaries.Hook("gate", server.BaseAddress));

        Assert.True(result.Passed, result.Reason);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task A_500_fails_with_the_status_and_the_body_in_the_reason()
    {
        await using var server = await LoopbackServer.StartAsync(new ServerReply(500, "load test failed: p99 too high"));

        var result = await CallAsync(Client, TestCanaries.Hook("check", server.BaseAddress));

        Assert.False(result.Passed);
        Assert.Equal(WebhookFailure.HttpStatus, result.Failure);
        Assert.Equal(500, result.StatusCode);
        Assert.Equal("HTTP 500 Internal Server Error: load test failed: p99 too high", result.Reason);
    }

    [Fact]
    public async Task Long_bodies_are_cut_to_the_configured_length()
    {
        await using var services = Services.Build(o => o.MaxBodyLength = 8);
        await using var server = await LoopbackServer.StartAsync(new ServerReply(403, new string('x', 10_000)));

        var result = await CallAsync(services.GetRequiredService<IWebhookClient>(), TestCanaries.Hook("gate", server.BaseAddress));

        Assert.Equal("xxxxxxxx", result.Body);
        Assert.Equal("HTTP 403 Forbidden: xxxxxxxx", result.Reason);
    }

    [Fact]
    public async Task A_server_slower_than_the_hook_timeout_fails_with_timeout()
    {
        await using var server = await LoopbackServer.StartAsync(new ServerReply(200, "late", TimeSpan.FromSeconds(5)));

        var result = await CallAsync(Client, TestCanaries.Hook("slow", server.BaseAddress, timeout: "200ms"));

        Assert.Equal(WebhookFailure.Timeout, result.Failure);
        Assert.Equal("timeout after 200ms", result.Reason);
    }

    [Fact]
    public async Task Retries_transient_failures_and_passes_when_the_server_recovers()
    {
        await using var server = await LoopbackServer.StartAsync((_, n) => n <= 2 ? new ServerReply(503, "warming up") : ServerReply.Ok);

        var result = await CallAsync(Client, TestCanaries.Hook("flaky", server.BaseAddress, retries: 2));

        Assert.True(result.Passed, result.Reason);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(3, server.Requests.Count);
        Assert.Single(server.Requests.Select(r => r.Body).Distinct());
    }

    [Fact]
    public async Task Gives_up_after_the_configured_retries()
    {
        await using var server = await LoopbackServer.StartAsync(new ServerReply(500, "down"));

        var result = await CallAsync(Client, TestCanaries.Hook("down", server.BaseAddress, retries: 1));

        Assert.Equal(WebhookFailure.HttpStatus, result.Failure);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_timed_out_attempt_is_retried()
    {
        await using var server = await LoopbackServer.StartAsync((_, n) => n == 1 ? new ServerReply(200, "late", TimeSpan.FromSeconds(5)) : ServerReply.Ok);

        var result = await CallAsync(Client, TestCanaries.Hook("slow-once", server.BaseAddress, timeout: "2s", retries: 1));

        Assert.True(result.Passed, result.Reason);
        Assert.Equal(2, result.Attempts);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(501)]
    public async Task A_definite_no_is_not_retried(int status)
    {
        await using var server = await LoopbackServer.StartAsync(new ServerReply(status));

        var result = await CallAsync(Client, TestCanaries.Hook("gate", server.BaseAddress, retries: 3));

        Assert.Equal(WebhookFailure.HttpStatus, result.Failure);
        Assert.Equal($"HTTP {status} {(HttpStatusCode)status switch { HttpStatusCode.Forbidden => "Forbidden", HttpStatusCode.NotFound => "Not Found", _ => "Not Implemented" }}", result.Reason);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_unreachable_receiver_is_a_connection_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await CallAsync(Client, TestCanaries.Hook("gone", new Uri($"http://127.0.0.1:{port}/")));

        Assert.Equal(WebhookFailure.ConnectionError, result.Failure);
        Assert.StartsWith("connection error: ", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisableTls_accepts_a_self_signed_certificate_which_is_rejected_otherwise()
    {
        using var certificate = ServingCertificate.Create();
        await using var server = await LoopbackServer.StartAsync(ServerReply.Ok, certificate);
        Assert.Equal("https", server.BaseAddress.Scheme);
        var strict = TestCanaries.Hook("strict", server.BaseAddress, retries: 2);
        var insecure = TestCanaries.Hook("insecure", server.BaseAddress);
        insecure.DisableTls = true;

        var rejected = await CallAsync(Client, strict);
        var accepted = await CallAsync(Client, insecure);

        Assert.Equal(WebhookFailure.ConnectionError, rejected.Failure);
        Assert.Equal(1, rejected.Attempts); // certificate errors are not transient
        Assert.True(accepted.Passed, accepted.Reason);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://files/")]
    public async Task An_unusable_url_fails_without_throwing(string url)
    {
        var result = await Client.CallAsync(new CanaryWebhook { Name = "bad", Url = url }, new WebhookPayload("a", "b", "", "c", null), CancellationToken.None);

        Assert.Equal(WebhookFailure.InvalidHook, result.Failure);
        Assert.Equal(0, result.Attempts);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_throws_instead_of_reporting_a_timeout()
    {
        await using var server = await LoopbackServer.StartAsync(new ServerReply(200, "late", TimeSpan.FromSeconds(5)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CallAsync(Client, TestCanaries.Hook("slow", server.BaseAddress), cancel.Token));
    }
}
