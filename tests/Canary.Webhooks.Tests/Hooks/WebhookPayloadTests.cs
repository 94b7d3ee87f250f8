using Canary.Api.V1Beta1;
using Canary.Webhooks.Hooks;
using Canary.Webhooks.Tests.Infrastructure;

namespace Canary.Webhooks.Tests.Hooks;

public class WebhookPayloadTests
{
    private static readonly string Checksum = CanaryChecksum.Compute(
        new Dictionary<string, string> { ["configmap/podinfo-config"] = "e1b2c3d4e5f60718" }, TestCanaries.LastAppliedSpec);

    [Fact]
    public void Rollout_payload_is_flaggers_json_with_metadata_keys_sorted()
    {
        var hook = TestCanaries.Hook("load-test", new Uri("http://tester/"), metadata: new Dictionary<string, string>
        {
            ["type"] = "cmd",
            ["cmd"] = "hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/",
        });

        var json = WebhookPayloadJson.Serialize(WebhookPayloadFactory.Create(TestCanaries.Podinfo([hook]), hook, CanaryPhase.Progressing));

        Assert.Equal(
            $$$"""{"name":"podinfo","namespace":"test","phase":"Progressing","checksum":"{{{Checksum}}}","metadata":{"cmd":"hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/","type":"cmd"}}""",
            json);
    }

    [Fact]
    public void Metadata_is_omitted_when_the_hook_has_none()
    {
        var hook = TestCanaries.Hook("gate", new Uri("http://tester/"), WebhookTypes.ConfirmRollout);

        var json = WebhookPayloadJson.Serialize(WebhookPayloadFactory.Create(TestCanaries.Podinfo([hook]), hook, CanaryPhase.Initialized));

        Assert.Equal($$$"""{"name":"podinfo","namespace":"test","phase":"Initialized","checksum":"{{{Checksum}}}"}""", json);
    }

    [Fact]
    public void Payloads_carry_the_last_five_checks_so_a_gate_can_read_the_verdicts()
    {
        var hook = TestCanaries.Hook("gate", new Uri("http://tester/"), WebhookTypes.ConfirmPromotion);
        var canary = TestCanaries.Podinfo([hook]);
        canary.Status!.Checks = [.. Enumerable.Range(1, 7).Select(i => new CanaryCheck
        {
            Time = new DateTime(2026, 1, 1, 0, i, 0, DateTimeKind.Utc),
            Weight = 10 * i,
            Metric = "request-success-rate",
            Verdict = i == 7 ? CheckVerdicts.Fail : CheckVerdicts.Pass,
            CanaryValue = 99.5,
            PrimaryValue = 99.9,
            CanarySamples = 300,
            PrimarySamples = 2700,
            PValue = 0.5,
            Message = $"check {i}",
        })];

        var json = WebhookPayloadJson.Serialize(WebhookPayloadFactory.Create(canary, hook, CanaryPhase.Progressing));
        var checks = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("checks");

        Assert.Equal(["check 3", "check 4", "check 5", "check 6", "check 7"], checks.EnumerateArray().Select(c => c.GetProperty("message").GetString()));
        Assert.Equal("Fail", checks[4].GetProperty("verdict").GetString());
        Assert.Equal(2700, checks[4].GetProperty("primarySamples").GetInt64());
    }

    [Fact]
    public void Phase_none_is_written_as_an_empty_string()
    {
        Assert.Equal(string.Empty, WebhookPayloadFactory.PhaseName(CanaryPhase.None));
        Assert.Equal("WaitingPromotion", WebhookPayloadFactory.PhaseName(CanaryPhase.WaitingPromotion));
    }

    [Fact]
    public void Event_payload_carries_message_type_and_unix_ms_timestamp_which_hook_metadata_cannot_override()
    {
        var hook = TestCanaries.Hook("events", new Uri("http://events/"), WebhookTypes.Event, metadata: new Dictionary<string, string>
        {
            ["eventType"] = "spoofed",
            ["cluster"] = "prod-eu",
        });
        var canary = TestCanaries.Podinfo([hook], phase: CanaryPhase.Succeeded);

        var payload = Services.PayloadsAt(Services.Now).CreateEvent(canary, hook, "Promotion completed! Scaling down podinfo.test", WebhookRunner.NormalEvent);

        Assert.Equal(
            $$$"""{"name":"podinfo","namespace":"test","phase":"Succeeded","checksum":"{{{Checksum}}}","metadata":{"cluster":"prod-eu","eventMessage":"Promotion completed! Scaling down podinfo.test","eventType":"Normal","timestamp":"1735787045000"}}""",
            WebhookPayloadJson.Serialize(payload));
    }

    [Theory]
    [InlineData(null, WebhookType.Rollout)]
    [InlineData("", WebhookType.Rollout)]
    [InlineData("rollout", WebhookType.Rollout)]
    [InlineData("confirm-rollout", WebhookType.ConfirmRollout)]
    [InlineData("pre-rollout", WebhookType.PreRollout)]
    [InlineData("confirm-traffic-increase", WebhookType.ConfirmTrafficIncrease)]
    [InlineData("confirm-promotion", WebhookType.ConfirmPromotion)]
    [InlineData("post-rollout", WebhookType.PostRollout)]
    [InlineData("rollback", WebhookType.Rollback)]
    [InlineData("event", WebhookType.Event)]
    public void Type_strings_parse_and_round_trip(string? text, WebhookType expected)
    {
        Assert.True(WebhookTypeNames.TryParse(text, out var type));
        Assert.Equal(expected, type);
        Assert.True(WebhookTypeNames.TryParse(type.ToName(), out var again));
        Assert.Equal(type, again);
    }

    [Fact]
    public void Unknown_type_strings_are_rejected()
    {
        Assert.False(WebhookTypeNames.TryParse("pre-rollback", out _));
    }
}
