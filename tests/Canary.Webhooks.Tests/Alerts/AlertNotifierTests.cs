using Canary.Webhooks.Alerts;
using Canary.Webhooks.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Webhooks.Tests.Alerts;

public sealed class AlertNotifierTests : IAsyncLifetime
{
    private static readonly AlertMessage Info = new("podinfo", "test", "New revision detected, progressing canary analysis.", AlertSeverity.Info,
        [new AlertField("Target", "Deployment/podinfo.test"), new AlertField("Traffic routing", "Weight step: 10 max: 50")]);

    private static readonly AlertMessage Error = new("podinfo", "test", "Failed checks threshold reached 5", AlertSeverity.Error, []);

    private readonly ServiceProvider _services = AlertServices.Build();
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync(ServerReply.Ok);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _services.DisposeAsync();
    }

    private IAlertNotifier Notifier(string type) => _services.GetServices<IAlertNotifier>().Single(n => n.ProviderType == type);

    private AlertEndpoint Endpoint(string type, string path = "/hook", string? token = null) =>
        new(type, _server.Url(path), "general", "canary", token);

    private async Task<RecordedRequest> PostAsync(string type, AlertMessage message, string? token = null)
    {
        await Notifier(type).PostAsync(Endpoint(type, token: token), message, CancellationToken.None);
        return Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Slack_posts_one_attachment_with_fields_and_the_bearer_token()
    {
        var request = await PostAsync("slack", Info, token: "xoxb-123");

        Assert.Equal("/hook", request.Path);
        Assert.Equal("Bearer xoxb-123", request.Headers["Authorization"]);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Equal(
            """{"channel":"general","username":"canary","icon_url":"","icon_emoji":":rocket:","attachments":[{"color":"good","author_name":"podinfo.test","text":"New revision detected, progressing canary analysis.","mrkdwn_in":["text"],"fields":[{"title":"Target","value":"Deployment/podinfo.test","short":false},{"title":"Traffic routing","value":"Weight step: 10 max: 50","short":false}]}]}""",
            request.Body);
    }

    [Fact]
    public async Task Slack_errors_are_red_and_no_token_means_no_authorization_header()
    {
        var request = await PostAsync("slack", Error);

        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal(
            """{"channel":"general","username":"canary","icon_url":"","icon_emoji":":rocket:","attachments":[{"color":"danger","author_name":"podinfo.test","text":"Failed checks threshold reached 5","mrkdwn_in":["text"],"fields":[]}]}""",
            request.Body);
    }

    [Fact]
    public async Task Teams_posts_a_message_card_with_facts()
    {
        var request = await PostAsync("msteams", Info);

        Assert.Equal(
            """{"@type":"MessageCard","@context":"http://schema.org/extensions","themeColor":"0076D7","summary":"podinfo.test","sections":[{"activityTitle":"New revision detected, progressing canary analysis.","activitySubtitle":"podinfo.test","facts":[{"name":"Target","value":"Deployment/podinfo.test"},{"name":"Traffic routing","value":"Weight step: 10 max: 50"}]}]}""",
            request.Body);
    }

    [Fact]
    public async Task Teams_errors_use_the_red_theme()
    {
        var request = await PostAsync("msteams", Error);

        Assert.Contains("\"themeColor\":\"FF0000\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discord_posts_the_slack_payload_to_the_slack_compatible_endpoint()
    {
        await Notifier("discord").PostAsync(Endpoint("discord", "/api/webhooks/1/abc"), Error, CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/api/webhooks/1/abc/slack", request.Path);
        Assert.Equal(
            """{"channel":"general","username":"canary","icon_url":"","icon_emoji":":rocket:","attachments":[{"color":"danger","author_name":"podinfo.test","text":"Failed checks threshold reached 5","mrkdwn_in":["text"],"fields":[]}]}""",
            request.Body);
    }

    [Theory]
    [InlineData("https://discord.com/api/webhooks/1/abc", "https://discord.com/api/webhooks/1/abc/slack")]
    [InlineData("https://discord.com/api/webhooks/1/abc/", "https://discord.com/api/webhooks/1/abc/slack")]
    [InlineData("https://discord.com/api/webhooks/1/abc/slack", "https://discord.com/api/webhooks/1/abc/slack")]
    [InlineData("https://discord.com/api/webhooks/1/abc?thread_id=7", "https://discord.com/api/webhooks/1/abc/slack?thread_id=7")]
    public void Discord_appends_slack_once(string address, string expected)
    {
        Assert.Equal(new Uri(expected), DiscordNotifier.SlackEndpointOf(new Uri(address)));
    }

    [Fact]
    public async Task Rocket_posts_the_slack_payload_with_hex_colours()
    {
        var request = await PostAsync("rocket", Info);

        Assert.Equal(
            """{"channel":"general","username":"canary","icon_url":"","icon_emoji":":rocket:","attachments":[{"color":"#0076D7","author_name":"podinfo.test","text":"New revision detected, progressing canary analysis.","mrkdwn_in":["text"],"fields":[{"title":"Target","value":"Deployment/podinfo.test","short":false},{"title":"Traffic routing","value":"Weight step: 10 max: 50","short":false}]}]}""",
            request.Body);
    }

    [Fact]
    public async Task GChat_posts_a_card_with_a_section_per_field()
    {
        var request = await PostAsync("gchat", Info);

        Assert.Equal(
            """{"cards":[{"header":{"title":"Canary","subtitle":"podinfo.test"},"sections":[{"widgets":[{"textParagraph":{"text":"\u003Cfont color=#848484\u003E\u003Cstrong\u003ENew revision detected, progressing canary analysis.\u003C/strong\u003E\u003C/font\u003E"}}]},{"widgets":[{"textParagraph":{"text":"Target\u003Cbr\u003E\u003Cfont color=#848484\u003E\u003Cstrong\u003EDeployment/podinfo.test\u003C/strong\u003E\u003C/font\u003E"}}]},{"widgets":[{"textParagraph":{"text":"Traffic routing\u003Cbr\u003E\u003Cfont color=#848484\u003E\u003Cstrong\u003EWeight step: 10 max: 50\u003C/strong\u003E\u003C/font\u003E"}}]}]}]}""",
            request.Body);
    }

    [Fact]
    public async Task A_refusal_throws_an_alert_delivery_exception_with_the_status()
    {
        await using var refusing = await LoopbackServer.StartAsync(new ServerReply(404, "no_service"));

        var e = await Assert.ThrowsAsync<AlertDeliveryException>(() =>
            Notifier("slack").PostAsync(new AlertEndpoint("slack", refusing.BaseAddress, "general", "canary"), Info, CancellationToken.None));

        Assert.Equal("slack: HTTP 404 Not Found: no_service", e.Message);
    }
}
