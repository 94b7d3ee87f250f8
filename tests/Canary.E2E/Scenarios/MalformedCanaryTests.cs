using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Fuzzing;
using Xunit.Abstractions;
using k8s;

namespace Canary.E2E.Scenarios;

/// <summary>
/// Canaries mutated field by field, each with its own podinfo, beside a good release on the same controller: every one
/// is handled (refused by field path, or rolled out), and the good release still takes every step and promotes.
/// </summary>
[Collection(RolloutScenarios.Name)]
public sealed class MalformedCanaryTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = GatewayApiEnvironment.Provider;
    private const int Malformed = 12;

    [Fact]
    public async Task Malformed_canaries_are_each_handled_and_a_good_release_beside_them_still_takes_every_step()
    {
        var analysis = new CanaryAnalysis { Interval = "2s", Threshold = 5, StepWeight = 10, MaxWeight = 50, Metrics = [Podinfo.SuccessRate()] };
        var mutations = Mutations(analysis);
        var malformed = new List<CanaryScenario>();
        try
        {
            foreach (var mutation in mutations)
            {
                var bad = await CanaryScenario.StartAsync(env, "fuzz", Provider, output);
                malformed.Add(bad);
                await bad.CreateAppAsync(requestsPerSecond: 20);
                var document = (JsonObject)mutation.Document.DeepClone();
                document["metadata"]!["namespace"] = bad.Namespace;
                await bad.Client.CustomObjects.CreateNamespacedCustomObjectAsync(document, CanaryApi.Group, CanaryApi.Version, bad.Namespace, CanaryResource.KubePluralName);
                output.WriteLine($"{bad.Namespace}: {mutation}");
            }

            await using var good = await CanaryScenario.StartAsync(env, "beside-fuzz", Provider, output);
            await good.CreateAppAsync();
            await good.CreateCanaryAsync(analysis);
            await good.WaitForPhaseAsync(CanaryPhase.Initialized);
            await good.EditTemplateAsync(image: Podinfo.NewImage);
            await good.WaitForPhaseAsync(CanaryPhase.Succeeded);

            Assert.Equal([0, 10, 20, 30, 40, 50], good.Observer.StatusWeights(CanaryPhase.Progressing));
            Assert.Equal([0, 10, 20, 30, 40, 50, 0], good.Observer.RouteWeights);

            // Every malformed Canary was looked at and says so on itself: refused with a Validated=False condition naming a
            // spec field, failing at run time with Reconciled=False (a targetRef naming nothing), or initialized.
            foreach (var bad in malformed)
            {
                await bad.WaitUntilAsync(
                    c => c?.Status is { } s && (s.Phase is not null and not CanaryPhase.None || s.Conditions is { Count: > 0 }),
                    "the malformed canary shows what the controller made of it");
                if (Validated(bad.Canary()) is { Status: "False" } refused)
                {
                    Assert.Contains("spec.", refused.Message, StringComparison.Ordinal);
                    Assert.Contains(await bad.EventMessagesAsync(), m => m == refused.Message);
                }
            }
        }
        finally
        {
            foreach (var bad in malformed)
            {
                await bad.DisposeAsync();
            }
        }
    }

    private static k8s.Models.V1Condition? Validated(CanaryResource? canary) =>
        canary?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Validated");

    // The good Canary, mutated: only documents the controller can read.
    private static JsonMutation[] Mutations(CanaryAnalysis analysis) =>
        ReadableMutations.Of(Podinfo.Canary("placeholder", Provider, analysis), Malformed, "3MzyRBV6f701");
}
