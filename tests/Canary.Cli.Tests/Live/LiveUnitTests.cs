using Canary.Views;
using Canary.Api.V1Beta1;
using Canary.Cli.Commands.Live.Screen;
using Canary.Cli.Output;
using Canary.Cli.Tests.Support;

namespace Canary.Cli.Tests.Live;

/// <summary>The pure parts of the live commands: kubectl's ages and the step a rollout is at.</summary>
public sealed class LiveUnitTests
{
    [Theory]
    [InlineData(-5, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(125, "2m5s")]
    [InlineData(600, "10m")]
    [InlineData(179 * 60 + 59, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(3 * 3600 + 300, "3h5m")]
    [InlineData(8 * 3600 + 300, "8h")]
    [InlineData(50 * 3600, "2d2h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(10 * 86400 + 3600, "10d")]
    [InlineData(3 * 365 * 86400 + 86400, "3y1d")]
    [InlineData(9 * 365 * 86400, "9y")]
    public void Ages_read_as_kubectl_prints_them(long seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(0, "Progressing", "0/5")]
    [InlineData(10, "Progressing", "1/5")]
    [InlineData(30, "Progressing", "3/5")]
    [InlineData(50, "Promoting", "5/5")]
    [InlineData(35, "Progressing", "3/5")]
    [InlineData(0, "Succeeded", "-")]
    public void The_step_of_the_canary_strategy_is_the_weights_place_in_the_controllers_step_list(int weight, string phase, string step)
    {
        var canary = LiveCluster.Podinfo();
        canary.Status = new CanaryStatus { Phase = Enum.Parse<CanaryPhase>(phase), CanaryWeight = weight };

        Assert.Equal(step, RolloutProgress.Of(canary).StepText);
    }

    [Fact]
    public void Step_weights_daemonsets_and_iterations_follow_the_controllers_plan()
    {
        var listed = LiveCluster.Podinfo();
        listed.Spec.Analysis!.StepWeight = null;
        listed.Spec.Analysis.StepWeights = [5, 25, 60];
        listed.Spec.Analysis.MaxWeight = 60;
        listed.Status = new CanaryStatus { Phase = CanaryPhase.Progressing, CanaryWeight = 25 };
        Assert.Equal(("canary", "2/3"), (RolloutProgress.Of(listed).Strategy, RolloutProgress.Of(listed).StepText));

        // A DaemonSet takes no weights: blue/green, 10 iterations unless set.
        var daemonSet = LiveCluster.Podinfo();
        daemonSet.Spec.TargetRef!.Kind = TargetKinds.DaemonSet;
        daemonSet.Status = new CanaryStatus { Phase = CanaryPhase.Progressing, Iterations = 2 };
        Assert.Equal(("blue-green", "2/10"), (RolloutProgress.Of(daemonSet).Strategy, RolloutProgress.Of(daemonSet).StepText));

        var abTesting = LiveCluster.Podinfo();
        abTesting.Spec.Analysis!.StepWeight = null;
        abTesting.Spec.Analysis.Iterations = 6;
        abTesting.Spec.Analysis.Match = [new HttpMatchRequest()];
        abTesting.Status = new CanaryStatus { Phase = CanaryPhase.Progressing, Iterations = 4 };
        Assert.Equal(("ab-testing", "4/6", "iteration 4/6"), (RolloutProgress.Of(abTesting).Strategy, RolloutProgress.Of(abTesting).StepText, RolloutProgress.Of(abTesting).ProgressText));
    }
}
