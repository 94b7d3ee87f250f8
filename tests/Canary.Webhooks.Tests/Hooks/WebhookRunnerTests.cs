using Canary.Api.V1Beta1;
using Canary.Webhooks.Hooks;
using Canary.Webhooks.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Webhooks.Tests.Hooks;

public sealed class WebhookRunnerTests : IAsyncLifetime
{
    private readonly ServiceProvider _services = Services.Build();
    private LoopbackServer _server = null!;

    private WebhookRunner Runner => _services.GetRequiredService<WebhookRunner>();

    // One server, behaviour by path: /ok answers 200, /deny 403, /boom 500.
    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync((request, _) => request.Path switch
    {
        "/ok" => ServerReply.Ok,
        "/deny" => new ServerReply(403, "Forbidden"),
        _ => new ServerReply(500, "boom"),
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _services.DisposeAsync();
    }

    private CanaryWebhook Hook(string name, string path, string? type, bool? muteAlert = null) =>
        TestCanaries.Hook(name, _server.Url(path), type, muteAlert: muteAlert);

    private IEnumerable<string> CalledPaths => _server.Requests.Select(r => r.Path);

    [Theory]
    [InlineData(WebhookTypes.ConfirmRollout, WebhookType.ConfirmRollout)]
    [InlineData(WebhookTypes.ConfirmTrafficIncrease, WebhookType.ConfirmTrafficIncrease)]
    [InlineData(WebhookTypes.ConfirmPromotion, WebhookType.ConfirmPromotion)]
    public async Task A_gate_that_does_not_approve_means_wait_and_stops_at_that_gate(string typeName, WebhookType type)
    {
        var canary = TestCanaries.Podinfo([Hook("open", "/ok", typeName), Hook("closed", "/deny", typeName, muteAlert: true), Hook("never", "/ok", typeName)]);

        var report = await Runner.RunAsync(canary, type, CanaryPhase.Progressing, CancellationToken.None);

        Assert.Equal(CheckVerdict.Wait, report.Verdict);
        Assert.Equal("closed", report.Decisive?.Name);
        Assert.True(report.MuteAlert);
        Assert.Equal(["/ok", "/deny"], CalledPaths);
    }

    [Theory]
    [InlineData(WebhookTypes.PreRollout, WebhookType.PreRollout)]
    [InlineData(WebhookTypes.Rollout, WebhookType.Rollout)]
    [InlineData(WebhookTypes.PostRollout, WebhookType.PostRollout)]
    public async Task A_failing_check_fails_the_run_and_stops_the_remaining_hooks(string typeName, WebhookType type)
    {
        var canary = TestCanaries.Podinfo([Hook("first", "/ok", typeName), Hook("broken", "/boom", typeName), Hook("never", "/ok", typeName)]);

        var report = await Runner.RunAsync(canary, type, CanaryPhase.Progressing, CancellationToken.None);

        Assert.Equal(CheckVerdict.Failed, report.Verdict);
        Assert.Equal("broken", report.Decisive?.Name);
        Assert.Equal("HTTP 500 Internal Server Error: boom", report.Decisive?.Result.Reason);
        Assert.False(report.MuteAlert);
        Assert.Equal(["/ok", "/boom"], CalledPaths);
    }

    [Fact]
    public async Task Hooks_without_a_type_run_as_rollout_hooks_and_other_types_are_left_alone()
    {
        var canary = TestCanaries.Podinfo([Hook("untyped", "/ok", null), Hook("empty", "/ok", ""), Hook("gate", "/deny", WebhookTypes.ConfirmRollout)]);

        var report = await Runner.RunAsync(canary, WebhookType.Rollout, CanaryPhase.Progressing, CancellationToken.None);

        Assert.Equal(CheckVerdict.Passed, report.Verdict);
        Assert.Equal(["untyped", "empty"], report.Calls.Select(c => c.Name));
        Assert.Null(report.Decisive);
    }

    [Fact]
    public async Task No_hooks_of_a_type_pass_without_calls()
    {
        var report = await Runner.RunAsync(TestCanaries.Podinfo(), WebhookType.ConfirmPromotion, CanaryPhase.Progressing, CancellationToken.None);

        Assert.Equal(CheckVerdict.Passed, report.Verdict);
        Assert.Empty(report.Calls);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_rollback_hook_answering_2xx_means_roll_back_and_earlier_refusals_are_not_failures()
    {
        var canary = TestCanaries.Podinfo([Hook("closed", "/deny", WebhookTypes.Rollback), Hook("open", "/ok", WebhookTypes.Rollback), Hook("never", "/ok", WebhookTypes.Rollback)]);

        var report = await Runner.RunAsync(canary, WebhookType.Rollback, CanaryPhase.Progressing, CancellationToken.None);

        Assert.Equal(CheckVerdict.Rollback, report.Verdict);
        Assert.Equal("open", report.Decisive?.Name);
        Assert.Empty(report.Failures);
        Assert.Equal(["/deny", "/ok"], CalledPaths);
    }

    [Fact]
    public async Task Rollback_hooks_that_all_refuse_pass()
    {
        var canary = TestCanaries.Podinfo([Hook("closed", "/deny", WebhookTypes.Rollback), Hook("broken", "/boom", WebhookTypes.Rollback)]);

        var report = await Runner.RunAsync(canary, WebhookType.Rollback, CanaryPhase.WaitingPromotion, CancellationToken.None);

        Assert.Equal(CheckVerdict.Passed, report.Verdict);
        Assert.Equal(2, report.Calls.Count);
    }

    [Fact]
    public async Task Every_event_hook_is_called_even_after_a_failure()
    {
        var canary = TestCanaries.Podinfo([Hook("broken", "/boom", WebhookTypes.Event), Hook("fine", "/ok", WebhookTypes.Event), Hook("check", "/ok", WebhookTypes.Rollout)]);

        var report = await Runner.SendEventAsync(canary, "Starting canary analysis for podinfo.test", WebhookRunner.NormalEvent, CancellationToken.None);

        Assert.Equal(CheckVerdict.Failed, report.Verdict);
        Assert.Equal("broken", report.Decisive?.Name);
        Assert.Equal(["/boom", "/ok"], CalledPaths);
        Assert.All(_server.Requests, r => Assert.Contains("\"eventMessage\":\"Starting canary analysis for podinfo.test\"", r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_global_event_webhook_is_used_only_when_the_canary_has_no_event_hooks()
    {
        var options = Options.Create(new WebhookOptions { EventWebhookUrl = _server.Url("/ok") });
        var runner = new WebhookRunner(_services.GetRequiredService<IWebhookClient>(), Services.PayloadsAt(Services.Now), options);

        var global = await runner.SendEventAsync(TestCanaries.Podinfo(), "Initialization done! podinfo.test", WebhookRunner.WarningEvent, CancellationToken.None);
        var own = await runner.SendEventAsync(TestCanaries.Podinfo([Hook("own", "/deny", WebhookTypes.Event)]), "x", WebhookRunner.NormalEvent, CancellationToken.None);

        Assert.Equal("events", Assert.Single(global.Calls).Name);
        Assert.Equal("own", Assert.Single(own.Calls).Name);
        Assert.Equal(["/ok", "/deny"], CalledPaths);
        Assert.Contains("\"eventType\":\"Warning\",\"timestamp\":\"1735787045000\"", _server.Requests[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_hooks_must_be_sent_with_a_message()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Runner.RunAsync(TestCanaries.Podinfo(), WebhookType.Event, CanaryPhase.Progressing, CancellationToken.None));
    }
}
