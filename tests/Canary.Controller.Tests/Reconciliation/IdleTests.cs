using Canary.Controller.Reconciliation;
using Canary.Controller.Tests.Support;

namespace Canary.Controller.Tests.Reconciliation;

public class IdleTests
{
    [Fact]
    public async Task A_thousand_idle_canaries_cost_no_requests_but_watches_and_a_change_still_arrives()
    {
        await using var server = await SandboxKit.StartAsync();
        SandboxKit.SeedCanaries(server, 1000);
        await using var host = await TestHost.StartAsync(server, o => o with { EnableLeaderElection = true, LeaderElectionNamespace = "default" });
        await SandboxKit.EventuallyAsync(() => host.Reconciler.Counts.Count == 1000, TimeSpan.FromSeconds(60), "every canary reconciled at start");

        // The server counts a request when its handler ends, which under load can be after the client has read the
        // answer (the initial lists are the largest): without this, a start-up list could be counted inside the window.
        await SandboxKit.EventuallyAsync(() => server.Counters.InFlight == 0, TimeSpan.FromSeconds(30), "every start-up request counted");
        var before = server.Counters.Snapshot();
        await Task.Delay(TimeSpan.FromSeconds(4));
        var after = server.Counters.Snapshot();

        var grown = after.Where(kv => kv.Value > before.GetValueOrDefault(kv.Key)).Select(kv => kv.Key).ToList();
        Assert.Contains(grown, k => k.Resource == "leases");
        Assert.All(grown, k => Assert.True(k.Verb == "watch" || k.Resource == "leases", $"unexpected {k.Verb} {k.Resource} {k.StatusCode} while idle"));
        Assert.All(host.Reconciler.Counts.Values, n => Assert.Equal(1, n));

        SandboxKit.Touch(server, "default", "app-00500", "app:2");
        await SandboxKit.EventuallyAsync(() => host.Reconciler.TargetImages.TryGetValue(new CanaryKey("default", "app-00500"), out var seen) && seen.Contains("app:2"));
    }
}
