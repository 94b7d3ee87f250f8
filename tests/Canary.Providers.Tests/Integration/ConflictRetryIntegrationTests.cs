using System.Text.Json.Nodes;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;
using Microsoft.Extensions.Options;
using k8s;

namespace Canary.Providers.Tests.Integration;

[Collection(SandboxTests.Name)]
public sealed class ConflictRetryIntegrationTests(SandboxFixture sandbox)
{
    /// <summary>Before the first PUT of an HTTPRoute goes out, another writer updates the route: the PUT gets a real 409.</summary>
    private sealed class ConcurrentWriter(Func<Task> write) : DelegatingHandler
    {
        public int Puts { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Put && request.RequestUri!.AbsolutePath.Contains("/httproutes/", StringComparison.Ordinal) && Puts++ == 0)
            {
                await write();
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method == HttpMethod.Put)
            {
                Statuses.Add((int)response.StatusCode);
            }

            return response;
        }

        public List<int> Statuses { get; } = [];
    }

    [Fact]
    public async Task A_409_on_update_is_re_read_and_retried_keeping_the_other_writers_change()
    {
        var other = sandbox.Admin;
        var ns = await sandbox.NewNamespaceAsync();
        var canary = TestCanaries.WithGateway(c => c.Metadata.NamespaceProperty = ns);
        await new TrafficRouterFactory(other, Options.Create(new TrafficRouterOptions())).Create("gatewayapi:v1").ReconcileAsync(canary, CancellationToken.None);

        var handler = new ConcurrentWriter(async () =>
        {
            var route = await GatewayApiRouterIntegrationTests.GetRouteAsync(other, ns);
            route["metadata"]!["annotations"] = new JsonObject { ["other-controller"] = "was-here" };
            await other.CustomObjects.ReplaceNamespacedCustomObjectAsync<JsonObject>(route, "gateway.networking.k8s.io", "v1", ns, "httproutes", "podinfo");
        });
        using var kube = new k8s.Kubernetes(sandbox.ControllerConfiguration(), handler);
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("gatewayapi:v1");

        await router.SetRoutesAsync(canary, 80, 20, false, CancellationToken.None);

        Assert.Equal([409, 200], handler.Statuses);
        Assert.Equal(new RouteState(80, 20, false), await router.GetRoutesAsync(canary, CancellationToken.None));
        var stored = await GatewayApiRouterIntegrationTests.GetRouteAsync(other, ns);
        Assert.Equal("was-here", (string?)stored["metadata"]!["annotations"]!["other-controller"]);
    }
}
