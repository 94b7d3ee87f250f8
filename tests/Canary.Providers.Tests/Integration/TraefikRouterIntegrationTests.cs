using System.Text.Json.Nodes;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Auth;
using Microsoft.Extensions.Options;
using k8s;
using k8s.Models;

namespace Canary.Providers.Tests.Integration;

[Collection(SandboxTests.Name)]
public sealed class TraefikRouterIntegrationTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Reconcile_creates_the_service_set_routes_moves_it_and_a_later_reconcile_keeps_the_weights()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var canary = TestCanaries.Podinfo(c => c.Metadata.NamespaceProperty = ns);
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("traefik");

        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));
        Assert.Single(Services(await GetAsync(sandbox.Admin, "traefik.io", ns)));

        await router.SetRoutesAsync(canary, 60, 40, false, CancellationToken.None);
        canary.Spec.Service!.Apex = new() { Labels = new Dictionary<string, string> { ["team"] = "web" } };
        await router.ReconcileAsync(canary, CancellationToken.None);

        Assert.Equal(new RouteState(60, 40, false), await router.GetRoutesAsync(canary, CancellationToken.None));
        var service = await GetAsync(sandbox.Admin, "traefik.io", ns);
        Assert.Equal("web", (string?)service["metadata"]!["labels"]!["team"]);
        Assert.Equal([("podinfo-primary", 60), ("podinfo-canary", 40)], Services(service));

        await router.SetRoutesAsync(canary, 100, 0, false, CancellationToken.None);
        Assert.Equal([("podinfo-primary", 100)], Services(await GetAsync(sandbox.Admin, "traefik.io", ns)));
        var error = await Assert.ThrowsAsync<TrafficRouterException>(() => router.SetRoutesAsync(canary, 0, 0, false, CancellationToken.None));
        Assert.Equal($"TraefikService podinfo.{ns} update failed: no valid weights", error.Message);
    }

    [Fact]
    public async Task A_cluster_with_only_the_older_traefik_containo_us_group_gets_its_TraefikService_there()
    {
        await using var server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { EnforceRbac = true });
        using var admin = server.CreateClient();
        var controller = ServiceAccountIdentity.InstallFromDirectory(server, Path.Combine(AppContext.BaseDirectory, "rbac"));
        await SandboxFixture.RegisterCrdAsync(admin, "traefik.containo.us", "traefikservices", "TraefikService", ["v1alpha1"]);
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "apps" } });
        using var kube = new k8s.Kubernetes(server.ClientConfiguration(controller.Token));
        var canary = TestCanaries.Podinfo(c => c.Metadata.NamespaceProperty = "apps");
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("traefik");

        await router.ReconcileAsync(canary, CancellationToken.None);
        await router.SetRoutesAsync(canary, 90, 10, false, CancellationToken.None);

        var service = await GetAsync(admin, "traefik.containo.us", "apps");
        Assert.Equal("traefik.containo.us/v1alpha1", (string?)service["apiVersion"]);
        Assert.Equal([("podinfo-primary", 90), ("podinfo-canary", 10)], Services(service));
        server.Rbac.WriteReportIfRequested("providers-traefik-containous");
    }

    [Fact]
    public async Task Without_any_TraefikService_CRD_the_error_says_what_to_install()
    {
        await using var server = await SandboxApiServer.StartAsync();
        using var kube = server.CreateClient();
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("traefik");

        var error = await Assert.ThrowsAsync<TrafficRouterException>(() => router.ReconcileAsync(TestCanaries.Podinfo(), CancellationToken.None));
        Assert.Equal("TraefikService is not served by the API server (traefik.io/v1alpha1 or traefik.containo.us/v1alpha1): install Traefik's CRDs", error.Message);
    }

    private static Task<JsonObject> GetAsync(IKubernetes kube, string group, string ns) =>
        kube.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(group, "v1alpha1", ns, "traefikservices", "podinfo");

    private static List<(string, int)> Services(JsonObject service) =>
        [.. service["spec"]!["weighted"]!["services"]!.AsArray().Select(s => ((string)s!["name"]!, (int)s["weight"]!))];
}
