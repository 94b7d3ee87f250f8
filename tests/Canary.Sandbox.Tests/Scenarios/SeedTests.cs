using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.Scenarios;
using Canary.Sandbox.Traffic;

namespace Canary.Sandbox.Tests.Scenarios;

/// <summary>Each run has its own traffic seed: reproducible alone, the same under each policy, printed when it goes wrong.</summary>
public sealed class SeedTests
{
    private static readonly Scenario Good = new() { Name = "good", Expect = Verdict.Promote };
    private static readonly Scenario Bad = new() { Name = "bad", Expect = Verdict.Rollback };

    [Fact]
    public void Every_run_gets_its_own_seed_the_same_under_each_policy_and_following_the_benchmark_seed()
    {
        var plan = ReleaseRun.Plan([Good, Bad], [DecisionPolicies.Flagger, DecisionPolicies.Judge], runs: 3, seed: 1);

        Assert.Equal(6, plan.Select(r => r.Seed).Distinct().Count());
        Assert.All(plan.GroupBy(r => (r.Scenario.Name, r.Run)), g => Assert.Single(g.Select(r => r.Seed).Distinct()));
        Assert.Equal(plan.Select(r => r.Seed), ReleaseRun.Plan([Good, Bad], [DecisionPolicies.Flagger, DecisionPolicies.Judge], 3, 1).Select(r => r.Seed));
        Assert.NotEqual(plan.Select(r => r.Seed), ReleaseRun.Plan([Good, Bad], [DecisionPolicies.Flagger, DecisionPolicies.Judge], 3, 2).Select(r => r.Seed));
    }

    [Fact]
    public async Task An_apps_traffic_seed_does_not_depend_on_the_apps_beside_it()
    {
        var a = new TrafficApp { Namespace = "one", Name = "app", Provider = "kubernetes" };
        var b = new TrafficApp { Namespace = "two", Name = "app", Provider = "kubernetes" };
        await using var alone = new TrafficSimulator(new ObjectStore(new ResourceRegistry()), new TrafficSimulatorOptions { Seed = 5, Apps = [a] });
        await using var together = new TrafficSimulator(new ObjectStore(new ResourceRegistry()), new TrafficSimulatorOptions { Seed = 5, Apps = [b, a] });

        Assert.Equal(alone.SeedOf(a), together.SeedOf(a));
        Assert.NotEqual(together.SeedOf(a), together.SeedOf(b));
        Assert.Equal(42, together.SeedOf(a with { Seed = 42 }));
    }

    [Fact]
    public void The_table_names_every_wrong_decision_with_the_seed_that_replays_it_and_why_a_rollback_happened()
    {
        var plan = ReleaseRun.Plan([Good, Bad], [DecisionPolicies.Judge], runs: 1, seed: 3);
        var results = new ScenarioResults(
            [
                new RunOutcome(plan[0], Verdict.Rollback, TimeSpan.FromMinutes(3), 100, 0, "Halt s.ns advancement request-duration canary p99 1s vs primary p99 450ms"),
                new RunOutcome(plan[1], Verdict.Promote, TimeSpan.FromMinutes(4), 100, 9),
            ],
            new TimeScale(10),
            TimeSpan.FromSeconds(5));
        using var text = new StringWriter();

        ScenarioTableWriter.Write(results, text);

        Assert.Contains($"wrong: bad run 1 under judge: promote (traffic seed {plan[1].Seed})\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains(
            $"wrong: good run 1 under judge: rollback (traffic seed {plan[0].Seed}): Halt s.ns advancement request-duration canary p99 1s vs primary p99 450ms",
            text.ToString(),
            StringComparison.Ordinal);
    }
}
