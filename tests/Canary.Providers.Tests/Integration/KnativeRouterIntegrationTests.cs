using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Providers.Builders;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;
using Microsoft.Extensions.Options;
using k8s;

namespace Canary.Providers.Tests.Integration;

[Collection(SandboxTests.Name)]
public sealed class KnativeRouterIntegrationTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task The_users_service_gets_a_primary_revision_each_split_and_on_finalize_knatives_default_back()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        await CreateServiceAsync(ns);
        var canary = KnativeCanary(ns);
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("knative");

        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));
        Assert.Equal("podinfo-00002", KnativeTrafficBuilder.PrimaryRevision(await GetAsync(ns)));

        await router.SetRoutesAsync(canary, 70, 30, false, CancellationToken.None);
        await router.ReconcileAsync(canary, CancellationToken.None);

        Assert.Equal(new RouteState(70, 30, false), await router.GetRoutesAsync(canary, CancellationToken.None));
        var service = await GetAsync(ns);
        Assert.Equal("ghcr.io/stefanprodan/podinfo:6.0.1", (string?)service["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("kept", (string?)service["metadata"]!["annotations"]!["team"]);

        await router.FinalizeAsync(canary, CancellationToken.None);
        service = await GetAsync(ns);
        Assert.Null(KnativeTrafficBuilder.PrimaryRevision(service));
        Assert.True(JsonNode.DeepEquals(KnativeTrafficBuilder.LatestOnly(), service["spec"]!["traffic"]));
    }

    [Fact]
    public async Task A_split_knative_would_refuse_and_a_missing_service_are_errors_naming_the_service()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var canary = KnativeCanary(ns);
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("knative");

        var missing = await Assert.ThrowsAsync<TrafficRouterException>(() => router.ReconcileAsync(canary, CancellationToken.None));
        Assert.Equal($"Knative Service podinfo.{ns} not found", missing.Message);

        await CreateServiceAsync(ns);
        var notSplit = await Assert.ThrowsAsync<TrafficRouterException>(() => router.GetRoutesAsync(canary, CancellationToken.None));
        Assert.Equal($"Knative Service podinfo.{ns} has no canary.dev/primary-revision annotation", notSplit.Message);
        var sum = await Assert.ThrowsAsync<TrafficRouterException>(() => router.SetRoutesAsync(canary, 0, 100 - 1, false, CancellationToken.None));
        Assert.Contains("does not add up to 100", sum.Message, StringComparison.Ordinal);
    }

    private static Api.V1Beta1.Canary KnativeCanary(string ns) => TestCanaries.Podinfo(c =>
    {
        c.Metadata.NamespaceProperty = ns;
        c.Spec.Provider = TrafficProviders.Knative;
        c.Spec.TargetRef = new TargetReference { ApiVersion = "serving.knative.dev/v1", Kind = "Service", Name = "podinfo" };
    });

    private async Task CreateServiceAsync(string ns) => await sandbox.Admin.CustomObjects.CreateNamespacedCustomObjectAsync(
        JsonNode.Parse("""
            {
              "apiVersion": "serving.knative.dev/v1",
              "kind": "Service",
              "metadata": { "name": "podinfo", "annotations": { "team": "kept" } },
              "spec": { "template": { "spec": { "containers": [ { "image": "ghcr.io/stefanprodan/podinfo:6.0.1" } ] } } },
              "status": { "latestCreatedRevisionName": "podinfo-00002", "latestReadyRevisionName": "podinfo-00002" }
            }
            """)!.AsObject(),
        "serving.knative.dev", "v1", ns, "services");

    private async Task<JsonObject> GetAsync(string ns) =>
        await sandbox.Admin.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("serving.knative.dev", "v1", ns, "services", "podinfo");
}
