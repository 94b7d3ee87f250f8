using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Canary.Controller.Dashboard;
using Canary.Controller.Tests.Support;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Resources;

namespace Canary.Controller.Tests.Dashboard;

/// <summary>
/// The dashboard's API on the real host: served from the informer caches (no API request per viewer), changes pushed as
/// Server-Sent Events, and control buttons that exist only with --dashboard-controls. The pages themselves are driven in
/// a real browser by tests/Canary.E2E/Dashboard.
/// </summary>
[Collection(ExclusiveMetrics.Name)]
public sealed class DashboardApiTests
{
    private static readonly GroupVersionResource Requests = new("canary.dev", "v1beta1", "canaryrequests");

    private static async Task<(SandboxApiServer Server, TestHost Host, HttpClient Http)> StartAsync(bool controls)
    {
        var server = await SandboxKit.StartAsync();
        foreach (var ns in new[] { "apps", "other" })
        {
            server.Store.Create(BuiltInResources.Namespaces, null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        server.Store.Create(BuiltInResources.Deployments, "apps", SandboxKit.Deployment("apps", "web", image: "web:2"));
        server.Store.Create(BuiltInResources.Deployments, "apps", SandboxKit.Deployment("apps", "web-primary", image: "web:1"));
        server.Store.Create(SandboxKit.Canaries, "apps", SandboxKit.Canary("apps", "web", "web"));
        server.Store.Create(SandboxKit.Canaries, "other", SandboxKit.Canary("other", "api", "api"));
        var port = SandboxKit.FreePort();
        var host = await TestHost.StartAsync(server, o => o with { DashboardPort = port, DashboardControls = controls });
        await SandboxKit.EventuallyAsync(() => host.Caches.HasSynced);
        return (server, host, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") });
    }

    [Fact]
    public async Task Pages_and_api_are_served_from_the_caches_without_a_single_api_request_per_viewer()
    {
        var (server, host, http) = await StartAsync(controls: false);
        await using var _ = server;
        await using var __ = host;
        using var ___ = http;
        var before = server.Counters.Snapshot();

        for (var viewer = 0; viewer < 5; viewer++)
        {
            Assert.Contains("<html", await http.GetStringAsync("/"), StringComparison.OrdinalIgnoreCase);
            Assert.Contains("<html", await http.GetStringAsync("/canaries/apps/web"), StringComparison.OrdinalIgnoreCase);
            var overview = (await http.GetFromJsonAsync<JsonObject>("/api/canaries"))!;
            Assert.Equal(["apps/web", "other/api"], overview["canaries"]!.AsArray().Select(c => $"{c!["namespace"]}/{c["name"]}"));
            Assert.Equal(["apps", "other"], overview["namespaces"]!.AsArray().Select(n => (string)n!));
            Assert.False((bool)overview["controls"]!);
            var filtered = (await http.GetFromJsonAsync<JsonObject>("/api/canaries?namespace=other"))!;
            Assert.Equal("api", (string)Assert.Single(filtered["canaries"]!.AsArray())!["name"]!);
            var page = (await http.GetFromJsonAsync<JsonObject>("/api/canaries/apps/web"))!;
            Assert.Equal("web:2", (string)page["screen"]!["target"]!["images"]![0]!);
            Assert.Equal("web:1", (string)page["screen"]!["primary"]!["images"]![0]!);
        }

        // Only the controller's own watches may have moved; nothing was asked for the viewers.
        var after = server.Counters.Snapshot();
        var asked = after.Where(kv => kv.Key.Verb is "get" or "list" && kv.Value != before.GetValueOrDefault(kv.Key)).Select(kv => kv.Key).ToList();
        Assert.Empty(asked);
        using var missing = await http.GetAsync("/api/canaries/apps/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var script = await http.GetAsync("/assets/app.js");
        Assert.Equal("text/javascript; charset=utf-8", script.Content.Headers.ContentType!.ToString());
        Assert.Contains("default-src 'self'", script.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_change_is_pushed_to_every_open_stream()
    {
        var (server, host, http) = await StartAsync(controls: false);
        await using var _ = server;
        await using var __ = host;
        using var ___ = http;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var streams = new List<StreamReader>();
        for (var i = 0; i < 3; i++)
        {
            var response = await http.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
            Assert.Equal("event: hello", await reader.ReadLineAsync(cancel.Token));
            streams.Add(reader);
        }

        await SandboxKit.EventuallyAsync(() => host.App.Services.GetService(typeof(DashboardUpdates)) is DashboardUpdates { Viewers: 3 });
        var canary = server.Store.Get(SandboxKit.Canaries, "apps", "web");
        canary["status"] = new JsonObject { ["phase"] = "Progressing", ["canaryWeight"] = 20 };
        server.Store.Update(SandboxKit.Canaries, "apps", canary, "status");

        foreach (var reader in streams)
        {
            string? line;
            while ((line = await reader.ReadLineAsync(cancel.Token)) is not null && !line.StartsWith("data: {\"namespace\":\"apps\",\"name\":\"web\"", StringComparison.Ordinal))
            {
            }

            Assert.NotNull(line);
            reader.Dispose();
        }
    }

    [Fact]
    public async Task Buttons_exist_only_with_the_flag_and_create_a_request_owned_by_the_canary()
    {
        var (server, host, http) = await StartAsync(controls: false);
        await using (server)
        await using (host)
        using (http)
        {
            using var refused = await PostAsync(http, "apps", "web", new { action = "pause" });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("--dashboard-controls", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        (server, host, http) = await StartAsync(controls: true);
        await using var _ = server;
        await using var __ = host;
        using var ___ = http;
        Assert.True((bool)(await http.GetFromJsonAsync<JsonObject>("/api/canaries/apps/web"))!["controls"]!);

        using var noHeader = await http.PostAsJsonAsync("/api/canaries/apps/web/requests", new { action = "pause" });
        Assert.Equal(HttpStatusCode.Forbidden, noHeader.StatusCode);
        using var unknown = await PostAsync(http, "apps", "web", new { action = "rollback" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("spec.action", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var absent = await PostAsync(http, "apps", "nope", new { action = "pause" });
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);

        using var accepted = await PostAsync(http, "apps", "web", new { action = "promote", force = true, reason = "hotfix" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var name = (string)(await accepted.Content.ReadFromJsonAsync<JsonObject>())!["request"]!;
        var request = server.Store.Get(Requests, "apps", name);
        Assert.Equal(("web", "promote", true, "hotfix"), ((string)request["spec"]!["canary"]!, (string)request["spec"]!["action"]!, (bool)request["spec"]!["force"]!, (string)request["spec"]!["reason"]!));
        var owner = Assert.Single(request["metadata"]!["ownerReferences"]!.AsArray());
        Assert.Equal(("Canary", "web"), ((string)owner!["kind"]!, (string)owner["name"]!));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string ns, string name, object body)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, $"/api/canaries/{ns}/{name}/requests") { Content = JsonContent.Create(body) };
        message.Headers.Add(DashboardEndpoints.ControlHeader, "1");
        return http.SendAsync(message);
    }
}
