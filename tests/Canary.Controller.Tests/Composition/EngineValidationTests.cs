using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Controller.Queue;
using Canary.Controller.Reconciliation;
using Canary.Controller.Tests.Support;
using Canary.Sandbox.ApiServer.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Controller.Tests.Composition;

/// <summary>
/// An invalid Canary gets a status condition and an Event, other Canaries carry on, the user's Deployment is never
/// touched, and fixing the spec lets the rollout proceed.
/// </summary>
[Collection(ExclusiveMetrics.Name)]
public sealed class EngineValidationTests
{
    private const string Ns = "validation";

    [Fact]
    public async Task An_invalid_canary_gets_a_condition_and_one_event_per_generation_and_proceeds_once_fixed()
    {
        await using var sandbox = await EngineSandbox.StartAsync(Ns);
        sandbox.Create(BuiltInResources.Deployments, Ns, SandboxKit.Deployment(Ns, "good"));
        sandbox.Create(BuiltInResources.Deployments, Ns, SandboxKit.Deployment(Ns, "bad"));
        sandbox.Create(SandboxKit.Canaries, Ns, EngineSandbox.Canary(Ns, "good"));
        sandbox.Create(SandboxKit.Canaries, Ns, EngineSandbox.Canary(Ns, "bad", new JsonObject
        {
            ["interval"] = "1s",
            ["threshold"] = 2,
            ["stepWeight"] = 10,
            ["stepWeights"] = new JsonArray(10, 20),
            ["webhooks"] = new JsonArray(new JsonObject { ["name"] = "load", ["url"] = "loadtester/" }),
        }));
        var target = sandbox.Get(BuiltInResources.Deployments, Ns, "bad")!;

        await using var host = await TestHost.StartAsync(sandbox.Cluster.Server, o => o with { MeshProvider = "kubernetes" }, withEngine: true);
        await SandboxKit.EventuallyAsync(() => sandbox.Phase(Ns, "good") == "Initialized", TimeSpan.FromSeconds(60), "the valid canary initializes");
        await SandboxKit.EventuallyAsync(() => Validated("bad") is not null, TimeSpan.FromSeconds(30), "the invalid canary gets a Validated condition");

        var condition = Validated("bad")!;
        Assert.Equal("False", condition["status"]?.GetValue<string>());
        Assert.Equal("InvalidSpec", condition["reason"]?.GetValue<string>());
        var message = condition["message"]!.GetValue<string>();
        Assert.Contains("spec.analysis.stepWeights", message, StringComparison.Ordinal);
        Assert.Contains("spec.analysis.webhooks[0].url", message, StringComparison.Ordinal);
        Assert.Equal(Generation("bad"), Num(condition["observedGeneration"]));
        Assert.Equal(1, sandbox.Events(Ns, "good").Count(e => e["message"]?.GetValue<string>() == "all the metrics providers are available!"));

        // Changes that wake the invalid Canary (its target is labelled, the simulator updates its status) bring no new Event.
        Relabel("bad", "touched-1");
        Relabel("bad", "touched-2");
        Relabel("good", "touched");
        await SandboxKit.EventuallyAsync(() => Seen("bad", "touched-2") && Seen("good", "touched") && IsQuiet(), TimeSpan.FromSeconds(30), "the changes were handled");
        Assert.Equal([1L], InvalidEvents().Select(e => Num(e["count"]) ?? 0));
        Assert.Equal("Warning", InvalidEvents()[0]["type"]?.GetValue<string>());

        // Nothing was created or scaled for it.
        var now = sandbox.Get(BuiltInResources.Deployments, Ns, "bad")!;
        Assert.Equal(Num(target["metadata"]!["generation"]), Num(now["metadata"]!["generation"]));
        Assert.Equal(1L, Num(now["spec"]!["replicas"]));
        Assert.Null(sandbox.Get(BuiltInResources.Deployments, Ns, "bad-primary"));
        Assert.Null(sandbox.Get(BuiltInResources.Services, Ns, "bad-primary"));
        Assert.Null(sandbox.Get(SandboxKit.Canaries, Ns, "bad")!["status"]?["phase"]);

        // A new generation, still invalid: reported once more, with the new problem.
        EditAnalysis("bad", a => a["webhooks"]![0]!["url"] = "ftp://loadtester/");
        await SandboxKit.EventuallyAsync(() => Num(Validated("bad")?["observedGeneration"]) == Generation("bad"), TimeSpan.FromSeconds(30), "the new generation is validated");
        Relabel("bad", "touched-3");
        await SandboxKit.EventuallyAsync(() => Seen("bad", "touched-3") && IsQuiet(), TimeSpan.FromSeconds(30), "the change was handled");
        Assert.Equal(2, InvalidEvents().Count);

        // Fixed: the condition turns True and the rollout proceeds.
        EditAnalysis("bad", a =>
        {
            a.Remove("stepWeights");
            a.Remove("webhooks");
        });
        await SandboxKit.EventuallyAsync(() => sandbox.Phase(Ns, "bad") == "Initialized", TimeSpan.FromSeconds(60), "the fixed canary initializes");
        Assert.Equal("True", Validated("bad")?["status"]?.GetValue<string>());
        Assert.Equal("ValidSpec", Validated("bad")?["reason"]?.GetValue<string>());
        Assert.Equal(0L, Num(sandbox.Get(BuiltInResources.Deployments, Ns, "bad")!["spec"]!["replicas"]));
        Assert.Equal(2, InvalidEvents().Count);

        JsonObject? Validated(string name) =>
            sandbox.Get(SandboxKit.Canaries, Ns, name)?["status"]?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "Validated");

        static long? Num(JsonNode? node) => node is null ? null : long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

        long? Generation(string name) => Num(sandbox.Get(SandboxKit.Canaries, Ns, name)!["metadata"]!["generation"]);

        List<JsonObject> InvalidEvents() =>
            [.. sandbox.Events(Ns, "bad").Where(e => e["message"]?.GetValue<string>()?.StartsWith("invalid canary:", StringComparison.Ordinal) == true)];

        // The controller's cache holds the change (its handler enqueues right after) and no key is queued or in flight.
        bool Seen(string deployment, string value) =>
            host.Caches.Deployments.Store.Get(Ns, deployment)?.Metadata.Labels?.TryGetValue("touched", out var seen) == true && seen == value;

        bool IsQuiet() => host.App.Services.GetRequiredService<WorkQueue<CanaryKey>>() is { Count: 0, ProcessingCount: 0 };

        void Relabel(string deployment, string value)
        {
            var current = sandbox.Get(BuiltInResources.Deployments, Ns, deployment)!;
            current["metadata"]!["labels"] = new JsonObject { ["app"] = deployment, ["touched"] = value };
            sandbox.Cluster.Store.Update(BuiltInResources.Deployments, Ns, current);
        }

        void EditAnalysis(string name, Action<JsonObject> edit)
        {
            var current = sandbox.Get(SandboxKit.Canaries, Ns, name)!;
            edit(current["spec"]!["analysis"]!.AsObject());
            sandbox.Cluster.Store.Update(SandboxKit.Canaries, Ns, current);
        }
    }
}
