using System.Diagnostics;
using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Xunit.Abstractions;
using k8s;

namespace Canary.E2E.Scenarios;

/// <summary>
/// MetricTemplates and AlertProviders mutated field by field, applied with the real kubectl and with KubernetesClient,
/// all used by one release beside a good release on the same controller: the bad one fails its checks with warnings that
/// name what is wrong, the good one takes every step and promotes, and the controller keeps answering its health checks.
/// (Documents the CRD's structural schema would refuse are not sent: the sandbox does not enforce CRD schemas, a real API
/// server answers 422 and nothing reaches the controller; ValidationFuzzTests covers them at the parser.)
/// </summary>
[Collection(LifecycleScenarios.Name)]
public sealed class MalformedTemplatesTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = GatewayApiEnvironment.Provider;
    private const int Templates = 6;
    private const int AlertProviders = 4;

    [Fact]
    public async Task Malformed_templates_and_alert_providers_fail_only_their_release_and_a_good_release_beside_them_promotes()
    {
        var analysis = new CanaryAnalysis { Interval = "2s", Threshold = 2, StepWeight = 10, MaxWeight = 50, Metrics = [Podinfo.SuccessRate()] };
        await using var bad = await CanaryScenario.StartAsync(env, "badtemplates", Provider, output);
        await bad.CreateAppAsync(requestsPerSecond: 20);
        var templates = ReadableMutations.Of(Podinfo.PodErrorRate(env.Prometheus.Url), Templates, "3MzyRBV6f701");
        var providers = ReadableMutations.Of(SlackProvider(), AlertProviders, "3MzyRBV6f701");
        var applied = 0;
        foreach (var (kind, mutation, index) in templates.Select((m, i) => ("metrictemplates", m, i)).Concat(providers.Select((m, i) => ("alertproviders", m, i))))
        {
            var document = (JsonObject)mutation.Document.DeepClone();
            document["metadata"] = new JsonObject { ["name"] = $"bad-{index}", ["namespace"] = bad.Namespace };
            output.WriteLine($"{kind}/bad-{index}: {mutation}");
            if (applied++ % 2 == 0)
            {
                await KubectlApplyAsync(document);
            }
            else
            {
                await env.Client.CustomObjects.CreateNamespacedCustomObjectAsync(document, CanaryApi.Group, CanaryApi.Version, bad.Namespace, kind);
            }
        }

        var badAnalysis = new CanaryAnalysis
        {
            Interval = "2s",
            Threshold = 2,
            StepWeight = 10,
            MaxWeight = 50,
            Metrics = [.. templates.Select((_, i) => new CanaryMetric { Name = $"bad-{i}", Interval = "10s", TemplateRef = new CrossNamespaceObjectReference { Name = $"bad-{i}" }, ThresholdRange = new CanaryThresholdRange { Max = 1 } })],
            Alerts = [.. providers.Select((_, i) => new CanaryAlert { Name = $"bad-{i}", Severity = "info", ProviderRef = new CrossNamespaceObjectReference { Name = $"bad-{i}" } })],
        };
        await bad.CreateCanaryAsync(badAnalysis);

        await using var good = await CanaryScenario.StartAsync(env, "beside-badtemplates", Provider, output);
        await good.CreateAppAsync();
        await good.CreateCanaryAsync(analysis);
        await Task.WhenAll(bad.WaitForPhaseAsync(CanaryPhase.Initialized), good.WaitForPhaseAsync(CanaryPhase.Initialized));
        await bad.EditTemplateAsync(image: Podinfo.NewImage);
        await good.EditTemplateAsync(image: Podinfo.NewImage);

        var steps = Stopwatch.StartNew();
        await good.WaitForPhaseAsync(CanaryPhase.Succeeded);
        output.WriteLine($"the good release took {steps.Elapsed.TotalSeconds:F1} s for 5 steps at a 2 s interval beside the malformed one");
        Assert.Equal([0, 10, 20, 30, 40, 50], good.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 10, 20, 30, 40, 50, 0], good.Observer.RouteWeights);

        // The bad release is never promoted; whatever its templates did, it shows on the Canary.
        await bad.WaitUntilAsync(c => c?.Status is { Phase: CanaryPhase.Failed or CanaryPhase.Succeeded }, "the release with malformed templates ends");
        var warnings = (await bad.EventsAsync()).Where(e => e.Type == "Warning").Select(e => e.Message ?? string.Empty).ToList();
        output.WriteLine(string.Join(Environment.NewLine, warnings.Distinct()));
        if (bad.Canary()!.Status!.Phase == CanaryPhase.Failed)
        {
            Assert.Contains(warnings, w => w.Contains("bad-", StringComparison.Ordinal));
        }

        using var http = new HttpClient();
        Assert.True((await http.GetAsync(new Uri($"http://127.0.0.1:{env.Controller!.Options.HealthPort}/healthz"))).IsSuccessStatusCode);
    }

    private async Task KubectlApplyAsync(JsonObject document)
    {
        var info = new ProcessStartInfo("/usr/bin/kubectl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--kubeconfig", env.Kubeconfig, "apply", "-f", "-" })
        {
            info.ArgumentList.Add(arg);
        }

        using var kubectl = Process.Start(info)!;
        await kubectl.StandardInput.WriteAsync(document.ToJsonString());
        kubectl.StandardInput.Close();
        var stderr = kubectl.StandardError.ReadToEndAsync();
        var stdout = await kubectl.StandardOutput.ReadToEndAsync();
        await kubectl.WaitForExitAsync();
        Assert.True(kubectl.ExitCode == 0, $"kubectl apply failed: {await stderr}{stdout}");
    }

    private static AlertProvider SlackProvider() => new()
    {
        Metadata = new k8s.Models.V1ObjectMeta { Name = "slack" },
        Spec = new AlertProviderSpec { Type = "slack", Channel = "releases", Username = "canary", Address = "http://127.0.0.1:9/hooks/x" },
    };
}
