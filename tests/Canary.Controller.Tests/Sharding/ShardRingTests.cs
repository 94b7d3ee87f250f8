using Canary.Controller.Reconciliation;
using Canary.Controller.Sharding;

namespace Canary.Controller.Tests.Sharding;

public sealed class ShardRingTests
{
    private static readonly CanaryKey[] Keys = [.. Enumerable.Range(0, 3000).Select(i => new CanaryKey($"team-{i % 17}", $"app-{i}"))];

    [Fact]
    public void Every_replica_gets_a_fair_share_whatever_the_order_it_lists_the_members_in()
    {
        string[] members = ["pod-a_1", "pod-b_2", "pod-c_3"];
        var shares = Keys.GroupBy(k => ShardRing.Owner(k, members)).ToDictionary(g => g.Key!, g => g.Count());

        Assert.Equal(3, shares.Count);
        Assert.All(shares.Values, n => Assert.InRange(n, 850, 1150));
        Assert.All(Keys, k => Assert.Equal(ShardRing.Owner(k, members), ShardRing.Owner(k, [.. members.Reverse()])));
    }

    [Fact]
    public void A_replica_leaving_hands_on_only_its_own_canaries_and_one_joining_takes_about_a_quarter()
    {
        string[] three = ["pod-a_1", "pod-b_2", "pod-c_3"];
        string[] two = ["pod-a_1", "pod-c_3"];
        string[] four = [.. three, "pod-d_4"];

        var movedOnLeave = Keys.Where(k => ShardRing.Owner(k, three) != ShardRing.Owner(k, two)).ToList();
        Assert.All(movedOnLeave, k => Assert.Equal("pod-b_2", ShardRing.Owner(k, three)));

        var movedOnJoin = Keys.Where(k => ShardRing.Owner(k, three) != ShardRing.Owner(k, four)).ToList();
        Assert.All(movedOnJoin, k => Assert.Equal("pod-d_4", ShardRing.Owner(k, four)));
        Assert.InRange(movedOnJoin.Count, Keys.Length / 4 - 150, Keys.Length / 4 + 150);
    }

    [Fact]
    public void No_members_means_no_owner()
    {
        Assert.Null(ShardRing.Owner(Keys[0], []));
        Assert.Equal("only", ShardRing.Owner(Keys[0], ["only"]));
    }
}
