using System.Net;
using Canary.Providers.Apply;
using Canary.Providers.Routing;
using k8s.Autorest;

namespace Canary.Providers.Tests.Routing;

public sealed class ObjectApplierTests
{
    private sealed class Box
    {
        public int Value { get; set; }

        public int Version { get; set; }
    }

    /// <summary>An in-memory store with optimistic concurrency, and a hook to write "concurrently".</summary>
    private sealed class FakeClient : IResourceClient<Box>
    {
        public Box? Stored { get; set; }

        public int Replaces { get; private set; }

        public Action? BeforeReplace { get; set; }

        public string Kind => "Box";

        public Task<Box?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
            Task.FromResult(Stored is null ? null : new Box { Value = Stored.Value, Version = Stored.Version });

        public Task<Box> CreateAsync(string ns, Box value, CancellationToken cancellationToken)
        {
            if (Stored is not null)
            {
                throw Conflict();
            }

            Stored = new Box { Value = value.Value, Version = 1 };
            return Task.FromResult(Stored);
        }

        public Task<Box> ReplaceAsync(string ns, string name, Box value, CancellationToken cancellationToken)
        {
            Replaces++;
            BeforeReplace?.Invoke();
            if (Stored!.Version != value.Version)
            {
                throw Conflict();
            }

            Stored = new Box { Value = value.Value, Version = value.Version + 1 };
            return Task.FromResult(Stored);
        }

        private static HttpOperationException Conflict() => new("conflict")
        {
            Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Conflict), "{}"),
        };
    }

    [Fact]
    public async Task A_conflicting_update_is_recomputed_from_the_fresh_object()
    {
        var client = new FakeClient { Stored = new Box { Value = 1, Version = 1 } };
        var concurrentWrites = 0;
        client.BeforeReplace = () =>
        {
            if (concurrentWrites++ == 0)
            {
                client.Stored = new Box { Value = 100, Version = 2 }; // someone else wrote in between
            }
        };

        var result = await new ObjectApplier(5).ApplyAsync(client, "ns", "b", current => new Box { Value = current!.Value + 1, Version = current.Version }, CancellationToken.None);

        Assert.Equal(101, result!.Value);
        Assert.Equal(2, client.Replaces);
    }

    [Fact]
    public async Task A_persisting_conflict_gives_up_with_a_clear_error()
    {
        var client = new FakeClient { Stored = new Box { Value = 1, Version = 1 } };
        client.BeforeReplace = () => client.Stored = new Box { Value = 0, Version = client.Stored!.Version + 1 };

        var error = await Assert.ThrowsAsync<TrafficRouterException>(() =>
            new ObjectApplier(3).ApplyAsync(client, "ns", "b", c => new Box { Value = 5, Version = c!.Version }, CancellationToken.None));

        Assert.Contains("still conflicting after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, client.Replaces);
    }

    [Fact]
    public async Task No_change_means_no_write_and_missing_objects_fail_updates()
    {
        var client = new FakeClient { Stored = new Box { Value = 1, Version = 1 } };
        await new ObjectApplier(3).ApplyAsync(client, "ns", "b", _ => null, CancellationToken.None);
        Assert.Equal(0, client.Replaces);

        var empty = new FakeClient();
        var error = await Assert.ThrowsAsync<TrafficRouterException>(() =>
            new ObjectApplier(3).UpdateAsync(empty, "ns", "b", b => b, CancellationToken.None));
        Assert.Contains("Box b.ns not found", error.Message, StringComparison.Ordinal);
    }
}
