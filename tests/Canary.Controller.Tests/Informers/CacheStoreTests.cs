using Canary.Controller.Informers;
using k8s.Models;
using static Canary.Controller.Tests.Support.FakeListWatchSource;

namespace Canary.Controller.Tests.Informers;

public class CacheStoreTests
{
    [Fact]
    public void Indexes_follow_updates_and_removals()
    {
        var store = new CacheStore<V1ConfigMap>();
        store.AddIndexer("letter", m => [m.Metadata.Name[..1]]);
        store.Upsert(Map("a1", "1"));
        store.Upsert(Map("a2", "1", "other"));
        store.Upsert(Map("b1", "1"));

        Assert.Equal(2, store.ByIndex("letter", "a").Count);
        Assert.Equal(2, store.ByIndex(CacheStore<V1ConfigMap>.NamespaceIndex, "default").Count);

        store.Remove(Map("a1", "2"));
        Assert.Single(store.ByIndex("letter", "a"));
        Assert.Single(store.ByIndex(CacheStore<V1ConfigMap>.NamespaceIndex, "default"));
        Assert.Equal([new KeyValuePair<string, int>("b", 1)], store.CountByIndex("letter").Where(k => k.Key == "b"));
    }

    [Fact]
    public void An_indexer_added_late_indexes_existing_objects()
    {
        var store = new CacheStore<V1ConfigMap>();
        store.Upsert(Map("x", "1"));
        store.AddIndexer("name", m => [m.Metadata.Name]);
        Assert.Single(store.ByIndex("name", "x"));
    }
}
