using System.Net;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Workloads;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>
/// The sandbox's Services over real HTTP: a loopback proxy routing on the Service's DNS name, answered by the simulated
/// pods (their error rate) and counted in the application's histogram the kubernetes provider's queries read.
/// </summary>
public sealed class ServiceProxyTests(TrafficClusterFixture fixture) : IClassFixture<TrafficClusterFixture>
{
    [Theory]
    [InlineData("podinfo.test", "test", "podinfo")]
    [InlineData("podinfo-canary.test.svc", "test", "podinfo-canary")]
    [InlineData("podinfo-canary.test.svc.cluster.local", "test", "podinfo-canary")]
    [InlineData("PODINFO.Test.", "test", "podinfo")]
    public void Service_names_resolve_as_cluster_dns_does(string host, string ns, string service) =>
        Assert.Equal((ns, service), ServiceProxy.Resolve(host));

    [Theory]
    [InlineData("podinfo")]
    [InlineData("example.com.au")]
    [InlineData("127.0.0.1")]
    public void Other_names_are_not_services(string host) => Assert.Null(ServiceProxy.Resolve(host));

    [Fact]
    public async Task A_request_through_the_proxy_is_answered_by_a_ready_pod_of_that_service_and_counted_in_its_histogram()
    {
        var ns = await fixture.PodinfoAsync(
            canaryAnnotations: new() { [SandboxAnnotations.ErrorRate] = "1", [SandboxAnnotations.LatencyP50] = "1ms" },
            primaryAnnotations: new() { [SandboxAnnotations.LatencyP50] = "1ms" });
        await using var simulator = new TrafficSimulator(fixture.Store);
        await simulator.StartAsync();
        await using var proxy = await ServiceProxy.StartAsync(simulator);
        using var http = new HttpClient(new HttpClientHandler { Proxy = new WebProxy(proxy.Url), UseProxy = true });

        for (var i = 0; i < 10; i++)
        {
            using var primary = await http.GetAsync(new Uri($"http://podinfo.{ns}:9898/api/info"));
            Assert.Equal(HttpStatusCode.OK, primary.StatusCode);
            Assert.StartsWith("podinfo-primary-", primary.Headers.GetValues("X-Sandbox-Pod").Single(), StringComparison.Ordinal);
            using var canary = await http.PostAsync(new Uri($"http://podinfo-canary.{ns}.svc.cluster.local:9898/token"), new StringContent("{}"));
            Assert.Equal(HttpStatusCode.InternalServerError, canary.StatusCode);
            Assert.DoesNotContain("podinfo-primary-", canary.Headers.GetValues("X-Sandbox-Pod").Single(), StringComparison.Ordinal);
        }

        using var text = new StringWriter();
        simulator.WriteMetrics(text);
        var counts = Exposition.Parse(text.ToString()).Where(s => s.Name == "http_request_duration_seconds_count" && s.Label("kubernetes_namespace") == ns).ToList();
        Assert.Equal(10, counts.Where(s => s.Label("kubernetes_pod_name").StartsWith("podinfo-primary-", StringComparison.Ordinal) && s.Label("status") == "200").Sum(s => s.Value));
        Assert.Equal(10, counts.Where(s => !s.Label("kubernetes_pod_name").StartsWith("podinfo-primary-", StringComparison.Ordinal) && s.Label("status") == "500").Sum(s => s.Value));
    }

    [Fact]
    public async Task Unknown_services_services_without_ready_pods_and_other_hosts_are_answered_as_a_proxy_would()
    {
        var ns = await fixture.PodinfoAsync();
        fixture.Store.Create(BuiltInResources.Services, ns, Objects.Service(ns, "empty", "nothing-selects-this"));
        await using var simulator = new TrafficSimulator(fixture.Store);
        await simulator.StartAsync();
        await using var proxy = await ServiceProxy.StartAsync(simulator);
        using var viaProxy = new HttpClient(new HttpClientHandler { Proxy = new WebProxy(proxy.Url), UseProxy = true });
        using var direct = new HttpClient();

        using (var missing = await viaProxy.GetAsync(new Uri($"http://nope.{ns}/")))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        await Wait503Async(viaProxy, new Uri($"http://empty.{ns}/"));
        using (var host = await direct.SendAsync(new HttpRequestMessage(HttpMethod.Get, proxy.Url) { Headers = { Host = $"podinfo.{ns}" } }))
        {
            Assert.Equal(HttpStatusCode.OK, host.StatusCode);
        }

        using var bare = await direct.GetAsync(proxy.Url);
        Assert.Equal(HttpStatusCode.BadGateway, bare.StatusCode);
        Assert.Contains("use <service>.<namespace>", await bare.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // The Service is seen by the simulator's watch a moment after it is created.
    private static async Task Wait503Async(HttpClient http, Uri url)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            using var response = await http.GetAsync(url, timeout.Token);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return;
            }

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            await Task.Delay(20, timeout.Token);
        }
    }
}
