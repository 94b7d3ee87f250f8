using Canary.Api.V1Beta1;
using Canary.Webhooks.Alerts;
using Canary.Webhooks.Tests.Infrastructure;

namespace Canary.Webhooks.Tests.Alerts;

public class AlertFieldsTests
{
    [Fact]
    public void Metadata_fields_follow_flagger()
    {
        var canary = TestCanaries.Podinfo();
        canary.Spec.Analysis!.StepWeight = 10;
        canary.Spec.Analysis.MaxWeight = 50;
        canary.Spec.Analysis.Threshold = 5;

        var fields = AlertFields.For(canary, "prod-eu", withMetadata: true);

        Assert.Equal(
            [
                new AlertField("Cluster", "prod-eu"),
                new AlertField("Target", "Deployment/podinfo.test"),
                new AlertField("Failed checks threshold", "5"),
                new AlertField("Progress deadline", "600s"),
                new AlertField("Traffic routing", "Weight step: 10 max: 50"),
            ],
            fields);
    }

    [Fact]
    public void Iterations_with_match_are_ab_testing_and_without_are_blue_green()
    {
        var ab = TestCanaries.Podinfo();
        ab.Spec.Analysis!.Iterations = 10;
        ab.Spec.Analysis.Match = [new HttpMatchRequest()];
        var bg = TestCanaries.Podinfo();
        bg.Spec.Analysis!.Iterations = 10;

        Assert.Equal("A/B Testing", AlertFields.For(ab, null, true)[^1].Value);
        Assert.Equal("Blue/Green", AlertFields.For(bg, null, true)[^1].Value);
        Assert.Empty(AlertFields.For(bg, null, withMetadata: false));
    }
}
