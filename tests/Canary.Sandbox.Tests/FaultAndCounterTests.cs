using System.Net;
using Canary.Sandbox.ApiServer;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Sandbox.Tests;

/// <summary>Fault injection (errors, latency, dropped watches) and request accounting; each test owns its server.</summary>
public sealed class FaultAndCounterTests
{
    [Fact]
    public async Task Error_rate_applies_per_verb_and_resource_with_the_right_status()
    {
        await using var server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { FaultSeed = 1 });
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "default");
        server.Faults.SetErrorRate(1.0, verbs: ["get"], resources: ["configmaps"], statusCodes: [429]);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("x", "default"));
        Assert.Equal(HttpStatusCode.TooManyRequests, e.Response.StatusCode);
        Assert.Equal("1", e.Response.Headers["Retry-After"].Single());
        Assert.Equal("TooManyRequests", KubernetesJson.Deserialize<V1Status>(e.Response.Content).Reason);

        Assert.Single((await client.CoreV1.ListNamespacedConfigMapAsync("default")).Items);
        await client.CoreV1.ReadNamespaceAsync("default");

        server.Faults.SetErrorRate(0.5, statusCodes: [500, 503]);
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            try
            {
                await client.CoreV1.ReadNamespacedConfigMapAsync("x", "default");
                codes.Add(HttpStatusCode.OK);
            }
            catch (HttpOperationException ex)
            {
                codes.Add(ex.Response.StatusCode);
            }
        }

        Assert.Contains(HttpStatusCode.OK, codes);
        Assert.Contains(HttpStatusCode.InternalServerError, codes);
        Assert.Contains(HttpStatusCode.ServiceUnavailable, codes);
        Assert.Equal(codes.Count(c => c == HttpStatusCode.InternalServerError), server.Counters.Count("get", "configmaps", 500));
        server.Faults.Clear();
        await client.CoreV1.ReadNamespacedConfigMapAsync("x", "default");
    }

    [Fact]
    public async Task Counters_count_requests_per_verb_resource_and_code()
    {
        await using var server = await SandboxApiServer.StartAsync();
        using var client = server.CreateClient();
        server.Counters.Reset();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "default");
        await client.CoreV1.ListNamespacedConfigMapAsync("default");
        await client.CoreV1.ListNamespacedConfigMapAsync("default");
        await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("nope", "default"));
        await client.AppsV1.ListNamespacedDeploymentAsync("default");

        Assert.Equal(1, server.Counters.Count("create", "configmaps", 201));
        Assert.Equal(2, server.Counters.Count("list", "configmaps"));
        Assert.Equal(1, server.Counters.Count("get", "configmaps", 404));
        Assert.Equal(1, server.Counters.Count("list", "deployments"));
        Assert.Equal(5, server.Counters.Snapshot().Where(p => !p.Key.Resource.StartsWith('/')).Sum(p => p.Value));
    }

    [Fact]
    public async Task A_request_is_in_flight_until_it_is_counted()
    {
        await using var server = await SandboxApiServer.StartAsync();
        using var client = server.CreateClient();
        server.Faults.Latency = TimeSpan.FromSeconds(1);
        var list = client.CoreV1.ListNamespacedConfigMapAsync("default");
        while (server.Counters.InFlight == 0)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, server.Counters.Count("list", "configmaps"));
        await list;

        // The handler counts after writing the answer, so the client may see it first: in flight until then.
        while (server.Counters.InFlight > 0)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, server.Counters.Count("list", "configmaps"));
    }

    [Fact]
    public async Task Latency_is_added_to_requests()
    {
        await using var server = await SandboxApiServer.StartAsync();
        using var client = server.CreateClient();
        await client.CoreV1.ListNamespacedConfigMapAsync("default");
        server.Faults.Latency = TimeSpan.FromMilliseconds(300);
        var started = DateTime.UtcNow;
        await client.CoreV1.ListNamespacedConfigMapAsync("default");
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(280));
    }

    [Fact]
    public async Task Watches_are_dropped_after_the_configured_time()
    {
        await using var server = await SandboxApiServer.StartAsync();
        using var client = server.CreateClient();
        server.Faults.DropWatchesAfter = TimeSpan.FromMilliseconds(500);
        var started = DateTime.UtcNow;
        Exception? error = null;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var _ in client.CoreV1.WatchListNamespacedConfigMapAsync("default", onError: e => error = e, cancellationToken: cts.Token))
            {
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            error = e;
        }

        Assert.False(cts.IsCancellationRequested, "the watch should have been cut by the server");
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
    }
}
