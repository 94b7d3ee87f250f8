using Canary.Api.V1Beta1;
using Canary.Controller.Reconciliation;
using Canary.Controller.Sharding;
using Canary.E2E.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// Three replicas with <c>--enable-sharding</c> split six Canaries; one is killed in the middle of their releases, and
/// later one joins in the middle of the next ones. Every release still takes each weight step exactly once (seen on the
/// HTTPRoute and in the status) and is promoted, and every Canary is owned by exactly one live replica. The Events say
/// each step once too, except that a Canary of the killed replica may say one step twice: a replica killed between
/// telling a step and checkpointing it in the status cannot take the telling back, and its successor tells the step
/// again from the last checkpoint (DIVERGENCES.md item 44: only a restart in between may repeat an Event). A replica
/// that joins takes its share after the others finished their ticks, so there no step is told twice.
/// </summary>
[Collection(ShardingScenarios.Name)]
public sealed class ShardingTests(ShardingEnvironment env, ITestOutputHelper output)
{
    private const int Apps = 6;
    private static readonly int[] Steps = [10, 20, 30, 40, 50];

    [Fact]
    public async Task A_replica_killed_mid_release_and_one_joining_mid_release_lose_and_repeat_no_step()
    {
        var replicas = new List<ControllerInstance> { env.Controller!, await env.StartReplicaAsync(), await env.StartReplicaAsync() };
        try
        {
            await AgreeAsync(replicas, "three replicas agree on one shard map");

            // Killed: the replica owning the most Canaries, once their releases are under way.
            await ReleaseAsync("shard-kill", replicas, async scenarios =>
            {
                var victim = replicas.Skip(1).MaxBy(r => scenarios.Count(s => Coordinator(r).Owns(Key(s))))!;
                var owned = scenarios.Select(Key).Where(Coordinator(victim).Owns).ToHashSet();
                Assert.True(owned.Count > 0, "the replica to kill owns a Canary");
                var identity = Coordinator(victim).Identity;
                replicas.Remove(victim);
                await victim.KillAsync();
                output.WriteLine($"killed {identity} at {DateTime.UtcNow:HH:mm:ss.fff}");
                return owned;
            });
            await AgreeAsync(replicas, "the two survivors share everything");
            Assert.Equal(2, Coordinator(replicas[0]).Members.Count);

            // Joined: a new replica takes its share from the others mid-release. Its identity is picked so that the
            // ring gives it one of these Canaries at least (identities are otherwise random, and a share of six could be empty).
            await ReleaseAsync("shard-join", replicas, async scenarios =>
            {
                var members = replicas.Select(r => Coordinator(r).Identity).ToList();
                var joiner = Enumerable.Range(0, 1000).Select(i => $"joiner-{i}")
                    .First(candidate => scenarios.Any(s => ShardRing.Owner(Key(s), [.. members, candidate]) == candidate));
                replicas.Add(await env.StartReplicaAsync(joiner));
                await AgreeAsync(replicas, "the new replica joins the map");
                Assert.True(scenarios.Any(s => Coordinator(replicas[^1]).Owns(Key(s))), "the new replica took a share of the Canaries");
                return new HashSet<CanaryKey>();
            });
            Assert.Equal(3, Coordinator(replicas[0]).Members.Count);
        }
        finally
        {
            // The environment's own controller (or the one it restarts) is disposed with it; the extra ones here.
            await env.StartControllerAsync();
            foreach (var replica in replicas.Where(r => r != env.Controller))
            {
                await replica.DisposeAsync();
            }
        }
    }

    // Creates Apps podinfo Canaries, releases a new image on all of them, runs disrupt once some are at weight 20 or
    // more, and checks every release took each step once and was promoted. Disrupt returns the Canaries whose owner
    // was killed: each of those may have told one step twice (see the class comment), never more.
    private async Task ReleaseAsync(string prefix, List<ControllerInstance> replicas, Func<IReadOnlyList<CanaryScenario>, Task<HashSet<CanaryKey>>> disrupt)
    {
        var scenarios = new List<CanaryScenario>();
        try
        {
            for (var i = 0; i < Apps; i++)
            {
                var s = await CanaryScenario.StartAsync(env, prefix, GatewayApiEnvironment.Provider, output);
                scenarios.Add(s);
                await s.CreateAppAsync();
                await s.CreateCanaryAsync(new CanaryAnalysis { Interval = "2s", Threshold = 5, StepWeight = 10, MaxWeight = 50, Metrics = [Podinfo.SuccessRate()] });
            }

            foreach (var s in scenarios)
            {
                await s.WaitForPhaseAsync(CanaryPhase.Initialized);
            }

            var owners = scenarios.Select(s => replicas.Count(r => Coordinator(r).Owns(Key(s)))).ToList();
            Assert.All(owners, n => Assert.Equal(1, n));
            foreach (var s in scenarios)
            {
                await s.EditTemplateAsync(image: Podinfo.NewImage);
            }

            await scenarios[0].WaitUntilAsync(() => scenarios.Any(s => s.Canary()?.Status?.CanaryWeight >= 20), "a release at weight 20");
            var killedOwner = await disrupt(scenarios);
            foreach (var s in scenarios)
            {
                await s.WaitForPhaseAsync(CanaryPhase.Succeeded, TimeSpan.FromSeconds(90));
            }

            foreach (var s in scenarios)
            {
                Assert.Equal([0, .. Steps], s.Observer.StatusWeights(CanaryPhase.Progressing));
                Assert.Equal([0, .. Steps, 0], s.Observer.RouteWeights);
                var events = await s.EventsAsync();
                var told = Steps.ToDictionary(w => w, w => events.Where(e => e.Message == $"Advance podinfo.{s.Namespace} canary weight {w}").Sum(e => e.Count ?? 1));
                var describe = $"{s.Namespace}: steps told {string.Join(", ", told.Select(t => $"{t.Key}% {t.Value}x"))}";
                var retold = killedOwner.Contains(Key(s)) ? 1 : 0;
                Assert.True(told.Values.All(n => n is 1 or 2) && told.Values.Count(n => n == 2) <= retold, describe);

                Assert.Equal(1, events.Count(e => e.Message == $"Promotion completed! Scaling down podinfo.{s.Namespace}"));
                Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
                Assert.Equal(1, replicas.Count(r => Coordinator(r).Owns(Key(s))));
            }
        }
        finally
        {
            foreach (var s in scenarios)
            {
                await s.DisposeAsync();
            }
        }
    }

    private static Task AgreeAsync(List<ControllerInstance> replicas, string what) =>
        Wait.UntilAsync(
            () => replicas.Select(Coordinator).All(c => c.IsLeader && c.Members.Count == replicas.Count && c.Epoch == Coordinator(replicas[0]).Epoch),
            what,
            () => string.Join("\n", replicas.Select(Coordinator).Select(c => $"{c.Identity}: active {c.IsLeader}, epoch {c.Epoch}, members {string.Join(", ", c.Members)}")),
            TimeSpan.FromSeconds(30));

    private static ShardCoordinator Coordinator(ControllerInstance replica) => replica.Services.GetRequiredService<ShardCoordinator>();

    private static CanaryKey Key(CanaryScenario s) => new(s.Namespace, s.Name);
}
