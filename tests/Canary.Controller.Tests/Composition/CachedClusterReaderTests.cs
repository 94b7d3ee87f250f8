using Canary.Controller.Composition;
using Canary.Controller.Hosting;
using Canary.Controller.Informers;
using Canary.Controller.Telemetry;
using Canary.Controller.Tests.Support;
using Canary.Sandbox.ApiServer.Resources;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Controller.Tests.Composition;

public sealed class CachedClusterReaderTests
{
    [Fact]
    public async Task An_object_the_cache_has_not_seen_yet_is_read_from_the_api_not_reported_missing()
    {
        // A Canary applied right after its Deployment can be ticked before the Deployment informer has delivered it.
        await using var server = await SandboxKit.StartAsync(withCrds: true);
        server.Store.Create(BuiltInResources.Deployments, "default", SandboxKit.Deployment("default", "podinfo"));
        using var kube = server.CreateClient();
        var caches = new ControllerCaches(kube, new ControllerOptions { MeshProvider = "kubernetes" }, new InformerOptions(), TimeProvider.System,
            NullLoggerFactory.Instance, new ControllerMetrics(new TestMeterFactory()), []);
        var reader = new CachedClusterReader(caches, new RecentCanaryWrites(), new Canary.Controller.Secrets.ReferencedSecrets(caches, kube), kube);

        var deployment = await reader.GetDeploymentAsync("default", "podinfo", CancellationToken.None);
        var missing = await reader.GetDeploymentAsync("default", "absent", CancellationToken.None);

        Assert.NotNull(deployment);
        Assert.Equal("podinfo", deployment!.Metadata.Name);
        Assert.Null(missing);
        Assert.Equal(2, server.Counters.Count("get", "deployments"));
    }
}
