using System.Text.Json.Nodes;
using Canary.Providers.Builders;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;
using Microsoft.Extensions.Options;
using k8s;

namespace Canary.Providers.Tests.Integration;

[Collection(SandboxTests.Name)]
public sealed class KumaRouterIntegrationTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task The_cluster_scoped_route_is_created_moved_kept_across_reconciles_and_deleted_on_finalize()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var canary = TestCanaries.Podinfo(c => c.Metadata.NamespaceProperty = ns);
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("kuma");

        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));

        await router.SetRoutesAsync(canary, 60, 40, false, CancellationToken.None);
        canary.Metadata.Annotations = new Dictionary<string, string> { ["kuma.io/mesh"] = "payments" };
        await router.ReconcileAsync(canary, CancellationToken.None);

        Assert.Equal(new RouteState(60, 40, false), await router.GetRoutesAsync(canary, CancellationToken.None));
        var route = await GetAsync($"podinfo.{ns}");
        Assert.Equal("payments", (string?)route!["mesh"]);

        await router.FinalizeAsync(canary, CancellationToken.None);
        Assert.Null(await GetAsync($"podinfo.{ns}"));
    }

    [Fact]
    public async Task A_route_of_that_name_owned_by_someone_else_is_never_taken_over_or_deleted()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var canary = TestCanaries.Podinfo(c => c.Metadata.NamespaceProperty = ns);
        var theirs = TrafficRouteBuilder.Build(canary, new RouteState(10, 90, false));
        theirs["metadata"]!["annotations"] = new JsonObject { ["owner"] = "platform-team" };
        await sandbox.Admin.CustomObjects.CreateClusterCustomObjectAsync(theirs, "kuma.io", "v1alpha1", "trafficroutes");
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("kuma");

        var error = await Assert.ThrowsAsync<TrafficRouterException>(() => router.ReconcileAsync(canary, CancellationToken.None));
        Assert.Equal($"TrafficRoute podinfo.{ns} belongs to someone else (no canary.dev/canary annotation), not to podinfo.{ns}; delete or rename it", error.Message);
        await router.FinalizeAsync(canary, CancellationToken.None);
        Assert.Equal(90, (int?)(await GetAsync($"podinfo.{ns}"))!["spec"]!["conf"]!["split"]![1]!["weight"]);
    }

    private async Task<JsonObject?> GetAsync(string name)
    {
        try
        {
            return await sandbox.Admin.CustomObjects.GetClusterCustomObjectAsync<JsonObject>("kuma.io", "v1alpha1", "trafficroutes", name);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
