using Canary.Api.V1Beta1;
using Canary.Webhooks.Alerts;
using Canary.Webhooks.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Webhooks.Tests.Alerts;

public sealed class AlertDispatcherTests : IAsyncLifetime
{
    private readonly ServiceProvider _services = AlertServices.Build();
    private LoopbackServer _server = null!;

    private AlertDispatcher Dispatcher => _services.GetRequiredService<AlertDispatcher>();

    // /info, /warn, /error answer 200 and record which alert entry received what; /broken answers 500.
    public async Task InitializeAsync() =>
        _server = await LoopbackServer.StartAsync((request, _) => request.Path == "/broken" ? new ServerReply(500, "down") : ServerReply.Ok);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _services.DisposeAsync();
    }

    private static CanaryAlert Alert(string name, string? severity, string provider, string? ns = null) =>
        new() { Name = name, Severity = severity, ProviderRef = new CrossNamespaceObjectReference { Name = provider, Namespace = ns } };

    private FakeProviderSource ProvidersByPath() => new FakeProviderSource()
        .Provider("info", "slack", _server.Url("/info"))
        .Provider("warn", "slack", _server.Url("/warn"))
        .Provider("error", "slack", _server.Url("/error"))
        .Provider("blank", "slack", _server.Url("/blank"));

    private static Api.V1Beta1.Canary CanaryWithSeverityAlerts() => TestCanaries.Podinfo(alerts:
    [
        Alert("all", AlertSeverities.Info, "info"),
        Alert("warnings", AlertSeverities.Warn, "warn"),
        Alert("errors", AlertSeverities.Error, "error"),
        Alert("unset", "", "blank"),
    ]);

    [Theory]
    [InlineData(AlertSeverity.Info, new[] { "/info" })]
    [InlineData(AlertSeverity.Warn, new[] { "/info", "/warn" })]
    [InlineData(AlertSeverity.Error, new[] { "/error", "/info", "/warn" })]
    public async Task Routes_by_severity_info_gets_all_warn_gets_warn_and_error_error_gets_error(AlertSeverity severity, string[] expectedPaths)
    {
        var result = await Dispatcher.DispatchAsync(CanaryWithSeverityAlerts(), new AlertEvent("message", severity), ProvidersByPath(), CancellationToken.None);

        Assert.All(result.Deliveries, d => Assert.True(d.Succeeded, d.Error));
        Assert.Equal(expectedPaths, _server.Requests.Select(r => r.Path).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(null, AlertSeverity.Error, false)]
    [InlineData("", AlertSeverity.Error, false)]
    [InlineData("info", AlertSeverity.Info, true)]
    [InlineData("warn", AlertSeverity.Info, false)]
    [InlineData("warn", AlertSeverity.Error, true)]
    [InlineData("error", AlertSeverity.Warn, false)]
    public void Severity_filter(string? alertSeverity, AlertSeverity severity, bool expected)
    {
        Assert.Equal(expected, AlertSeverityFilter.Accepts(alertSeverity, severity));
    }

    [Fact]
    public async Task A_gate_with_muteAlert_silences_its_alert()
    {
        var gate = new CanaryWebhook { Name = "approval", Type = WebhookTypes.ConfirmPromotion, Url = "http://gate/", MuteAlert = true };
        var alert = new AlertEvent("Canary promotion is waiting for approval.", AlertSeverity.Warn) { CausedBy = gate };

        var result = await Dispatcher.DispatchAsync(CanaryWithSeverityAlerts(), alert, ProvidersByPath(), CancellationToken.None);

        Assert.True(result.Muted);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_failing_provider_is_reported_without_throwing_and_does_not_stop_the_others()
    {
        var providers = new FakeProviderSource()
            .Provider("broken", "msteams", _server.Url("/broken"))
            .Provider("fine", "discord", _server.Url("/fine"));
        var canary = TestCanaries.Podinfo(alerts: [Alert("teams", "info", "broken"), Alert("discord", "info", "fine"), Alert("missing", "info", "nope")]);

        var result = await Dispatcher.DispatchAsync(canary, new AlertEvent("Failed checks threshold reached 2", AlertSeverity.Error), providers, CancellationToken.None);

        Assert.Equal(["teams", "missing"], result.Failures.Select(f => f.AlertName));
        Assert.Equal("msteams: HTTP 500 Internal Server Error: down", result.Deliveries[0].Error);
        Assert.Equal("alert provider test/nope not found", result.Deliveries[2].Error);
        Assert.True(result.Deliveries[1].Succeeded);
        Assert.Equal(2, _server.Requests.Count(r => r.Path == "/broken")); // one retry on 500
        Assert.Single(_server.Requests, r => r.Path == "/fine/slack");
    }

    [Fact]
    public async Task The_secret_address_overrides_the_spec_and_its_token_becomes_a_bearer_header()
    {
        var providers = new FakeProviderSource()
            .Provider("slack", "slack", new Uri("http://ignored.invalid/"), ns: "alerting", secret: "slack-url", channel: "deploys", username: "bot")
            .Secret("slack-url", new Dictionary<string, string> { ["address"] = _server.Url("/from-secret").AbsoluteUri, ["token"] = "s3cret" }, ns: "alerting");
        var canary = TestCanaries.Podinfo(alerts: [Alert("team", "info", "slack", ns: "alerting")]);

        var result = await Dispatcher.DispatchAsync(canary, new AlertEvent("hello", AlertSeverity.Info), providers, CancellationToken.None);

        Assert.True(Assert.Single(result.Deliveries).Succeeded);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/from-secret", request.Path);
        Assert.Equal("Bearer s3cret", request.Headers["Authorization"]);
        Assert.StartsWith("""{"channel":"deploys","username":"bot",""", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_without_an_address_is_a_failure()
    {
        var providers = new FakeProviderSource()
            .Provider("slack", "slack", secret: "incomplete")
            .Secret("incomplete", new Dictionary<string, string> { ["token"] = "t" });
        var canary = TestCanaries.Podinfo(alerts: [Alert("team", "info", "slack")]);

        var result = await Dispatcher.DispatchAsync(canary, new AlertEvent("hello", AlertSeverity.Info), providers, CancellationToken.None);

        Assert.Equal("alert provider test/slack: secret incomplete does not contain an address", Assert.Single(result.Failures).Error);
    }

    [Fact]
    public async Task An_invalid_alert_provider_is_a_failure_naming_its_fields()
    {
        var providers = new FakeProviderSource().Provider("pager", "pagerduty", _server.Url("/p"));
        var canary = TestCanaries.Podinfo(alerts: [Alert("oncall", "info", "pager")]);

        var result = await Dispatcher.DispatchAsync(canary, new AlertEvent("hello", AlertSeverity.Info), providers, CancellationToken.None);

        Assert.StartsWith("alert provider test/pager: invalid AlertProvider: spec.type: 'pagerduty' is not supported", Assert.Single(result.Failures).Error, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Channel_and_username_default_to_general_and_canary()
    {
        var providers = new FakeProviderSource().Provider("rocket", "rocket", _server.Url("/rocket"));
        var canary = TestCanaries.Podinfo(alerts: [Alert("chat", "info", "rocket")]);

        await Dispatcher.DispatchAsync(canary, new AlertEvent("hello", AlertSeverity.Info), providers, CancellationToken.None);

        Assert.StartsWith("""{"channel":"general","username":"canary",""", Assert.Single(_server.Requests).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_provider_proxy_is_used()
    {
        // The loopback server plays the proxy: it receives the absolute-form request for the real (unresolvable) host.
        var providers = new FakeProviderSource().Provider("chat", "gchat", new Uri("http://chat.example.invalid/v1/spaces/x"), proxy: _server.BaseAddress);
        var canary = TestCanaries.Podinfo(alerts: [Alert("chat", "info", "chat")]);

        var result = await Dispatcher.DispatchAsync(canary, new AlertEvent("hello", AlertSeverity.Info), providers, CancellationToken.None);

        Assert.True(Assert.Single(result.Deliveries).Succeeded, result.Deliveries[0].Error);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("chat.example.invalid", request.Host);
        Assert.Equal("/v1/spaces/x", request.Path);
    }

    [Fact]
    public async Task Canaries_without_alerts_go_to_the_global_notifier_whatever_the_severity()
    {
        await using var services = AlertServices.Build(o => o.GlobalEndpoint = new AlertEndpoint("msteams", _server.Url("/global"), "general", "canary"));

        var result = await services.GetRequiredService<AlertDispatcher>().DispatchAsync(
            TestCanaries.Podinfo(), new AlertEvent("New revision detected, progressing canary analysis.", AlertSeverity.Info), new FakeProviderSource(), CancellationToken.None);

        Assert.Equal("global", Assert.Single(result.Deliveries).AlertName);
        Assert.Equal("/global", Assert.Single(_server.Requests).Path);
    }

    [Fact]
    public async Task Without_alerts_or_a_global_notifier_nothing_is_sent()
    {
        var result = await Dispatcher.DispatchAsync(TestCanaries.Podinfo(), new AlertEvent("x", AlertSeverity.Error), new FakeProviderSource(), CancellationToken.None);

        Assert.False(result.Muted);
        Assert.Empty(result.Deliveries);
    }
}
