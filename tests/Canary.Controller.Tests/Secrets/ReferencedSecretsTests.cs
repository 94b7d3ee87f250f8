using System.Text.Json.Nodes;
using Canary.Controller.Hosting;
using Canary.Controller.Informers;
using Canary.Controller.Secrets;
using Canary.Controller.Telemetry;
using Canary.Controller.Tests.Support;
using Canary.Sandbox.ApiServer.Patching;
using Canary.Sandbox.ApiServer.Resources;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Controller.Tests.Secrets;

/// <summary>No cluster-wide Secret cache: the informer holds metadata, the data of a referenced Secret is read by GET.</summary>
public sealed class ReferencedSecretsTests
{
    private static JsonObject Secret(string ns, string name, string token) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["token"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(token)) },
    };

    [Fact]
    public async Task The_informer_holds_no_secret_data_and_a_referenced_secret_is_read_once_until_it_changes()
    {
        await using var server = await SandboxKit.StartAsync(withCrds: true);
        server.Store.Create(BuiltInResources.Secrets, "default", Secret("default", "prometheus-auth", "first"));
        server.Store.Create(BuiltInResources.Secrets, "default", Secret("default", "unrelated", "not-ours"));
        using var kube = server.CreateClient();
        var caches = new ControllerCaches(kube, new ControllerOptions { MeshProvider = "kubernetes" }, new InformerOptions(), TimeProvider.System,
            NullLoggerFactory.Instance, new ControllerMetrics(new TestMeterFactory()), []);
        var secrets = new ReferencedSecrets(caches, kube);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => caches.Secrets.RunAsync(stop.Token));
        await caches.Secrets.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        // The cache knows both Secrets by name and version, and holds the data of neither.
        Assert.All(caches.Secrets.Store.List(), s => Assert.Null(s.Data));
        Assert.Equal(2, caches.Secrets.Store.List().Count);

        var first = await secrets.GetDataAsync("default", "prometheus-auth", CancellationToken.None);
        var again = await secrets.GetDataAsync("default", "prometheus-auth", CancellationToken.None);
        Assert.Equal("first"u8.ToArray(), first!["token"]);
        Assert.Equal("first"u8.ToArray(), again!["token"]);
        Assert.Equal(1, server.Counters.Count("get", "secrets"));
        Assert.Equal(1, secrets.Count); // only the Secret that was asked for

        // A change reaches the informer as new metadata; the next read fetches the new data.
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        caches.Secrets.AddHandler(e =>
        {
            if (e.Type == ResourceEventType.Updated && e.Current.Metadata.Name == "prometheus-auth")
            {
                seen.TrySetResult();
            }
        });
        server.Store.Patch(BuiltInResources.Secrets, "default", "prometheus-auth", PatchType.Merge,
            new JsonObject { ["data"] = new JsonObject { ["token"] = Convert.ToBase64String("second"u8.ToArray()) } });
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(caches.Secrets.Store.Get("default", "prometheus-auth")!.Data);
        var updated = await secrets.GetDataAsync("default", "prometheus-auth", CancellationToken.None);
        Assert.Equal("second"u8.ToArray(), updated!["token"]);
        Assert.Equal(2, server.Counters.Count("get", "secrets"));

        Assert.Null(await secrets.GetDataAsync("default", "absent", CancellationToken.None));
        await stop.CancelAsync();
        await run.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
