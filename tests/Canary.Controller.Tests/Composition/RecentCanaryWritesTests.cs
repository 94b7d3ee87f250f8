using Canary.Controller.Composition;
using k8s.Models;

namespace Canary.Controller.Tests.Composition;

public class RecentCanaryWritesTests
{
    private static CanaryResource Version(string resourceVersion) => new()
    {
        Metadata = new V1ObjectMeta { Name = "app", NamespaceProperty = "ns", ResourceVersion = resourceVersion },
    };

    [Fact]
    public void Our_write_hides_the_versions_it_replaced_until_the_cache_catches_up()
    {
        var writes = new RecentCanaryWrites();
        Assert.Equal("1", writes.Resolve("ns", "app", Version("1"))!.Metadata.ResourceVersion);

        // A finalizer patch made 2 from 1, then the status write made 3 from 2: the cache may still be at 1 or 2.
        writes.Record("2", Version("3"));
        Assert.Equal("3", writes.Resolve("ns", "app", Version("1"))!.Metadata.ResourceVersion);
        Assert.Equal("3", writes.Resolve("ns", "app", Version("2"))!.Metadata.ResourceVersion);

        Assert.Equal("3", writes.Resolve("ns", "app", Version("3"))!.Metadata.ResourceVersion);
        Assert.Equal("2", writes.Resolve("ns", "app", Version("2"))!.Metadata.ResourceVersion);
    }

    [Fact]
    public void A_change_by_someone_else_or_a_deletion_wins()
    {
        var writes = new RecentCanaryWrites();
        writes.Resolve("ns", "app", Version("1"));
        writes.Record("1", Version("2"));
        Assert.Equal("7", writes.Resolve("ns", "app", Version("7"))!.Metadata.ResourceVersion);

        writes.Record("7", Version("8"));
        Assert.Null(writes.Resolve("ns", "app", null));
    }
}
