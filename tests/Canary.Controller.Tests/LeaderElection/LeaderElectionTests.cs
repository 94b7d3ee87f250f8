using Canary.Controller.Tests.Support;
using Canary.Sandbox.ApiServer;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Controller.Tests.LeaderElection;

public class LeaderElectionTests
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMilliseconds(250);

    private static Task<TestHost> StartCandidateAsync(SandboxApiServer server) =>
        TestHost.StartAsync(server, o => o with
        {
            EnableLeaderElection = true,
            LeaderElectionNamespace = "default",
            LeaseDuration = LeaseDuration,
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = RetryPeriod,
        });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Only_the_leader_reconciles_and_a_follower_takes_over_when_it_goes(bool crash)
    {
        await using var server = await SandboxKit.StartAsync();
        SandboxKit.SeedCanaries(server, 5);
        var a = await StartCandidateAsync(server);
        await SandboxKit.EventuallyAsync(() => a.Leadership.IsLeader);
        var b = await StartCandidateAsync(server);
        await using var _ = b;
        await SandboxKit.EventuallyAsync(() => a.Reconciler.Counts.Count == 5 && b.Caches.HasSynced);

        SandboxKit.Touch(server, "default", "app-00001", "app:2");
        await SandboxKit.EventuallyAsync(() => a.Reconciler.Counts[new("default", "app-00001")] == 2);
        await Task.Delay(RetryPeriod * 4);
        Assert.False(b.Leadership.IsLeader);
        Assert.Equal(0, b.Reconciler.Total);

        if (crash)
        {
            // No graceful stop: the lease is not released and must expire.
            await a.App.DisposeAsync();
        }
        else
        {
            await a.StopAsync();
            await a.DisposeAsync();
        }

        // Graceful: the released lease is taken at the next retry. Crash: once the lease expires as the follower observes
        // it. How long that takes is measured, not asserted, by the E2E chaos suite (ControllerUnderFaultsTests).
        await SandboxKit.EventuallyAsync(() => b.Leadership.IsLeader, LeaseDuration * 10);
        await SandboxKit.EventuallyAsync(() => b.Reconciler.Counts.Count == 5, because: "the new leader reconciles every canary");
    }
}
