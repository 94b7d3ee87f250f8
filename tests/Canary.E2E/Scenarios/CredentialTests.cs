using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Canary.Api.V1Beta1;
using Canary.Controller.Telemetry;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.ApiServer.Resources;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// Every kind of credential a user hands the controller through a Secret (Prometheus basic auth and bearer token on a
/// MetricTemplate, a chat webhook URL on an AlertProvider, and a wrong password that makes the checks fail) is used,
/// and none of them shows in the controller's logs, the Events, the Canary's status, the traces or the metric labels.
/// </summary>
[Collection(DisruptionScenarios.Name)]
public sealed class CredentialTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = GatewayApiEnvironment.Provider;
    private const string User = "canary-reader";

    [Fact]
    public async Task Credentials_are_used_and_never_appear_in_logs_events_status_traces_or_metrics()
    {
        var password = Unique("pw");
        var token = Unique("tok");
        var wrongPassword = Unique("bad");
        var alertPath = Unique("T0");
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{password}"));
        var wrongBasic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{wrongPassword}"));
        string[] secrets = [password, token, wrongPassword, alertPath, basic["Basic ".Length..], wrongBasic["Basic ".Length..]];

        using var traces = new ActivityRecorder(ControllerActivitySource.Name);
        await using var gate = await CredentialGate.StartAsync(env.Prometheus.Url, [basic, "Bearer " + token]);
        await using var s = await CanaryScenario.StartAsync(env, "creds", Provider, output);
        await s.CreateAppAsync();
        await CreateSecretAsync(s, "prom-basic", new() { ["username"] = User, ["password"] = password });
        await CreateSecretAsync(s, "prom-bearer", new() { ["token"] = token });
        await CreateSecretAsync(s, "prom-wrong", new() { ["username"] = User, ["password"] = wrongPassword });
        await CreateSecretAsync(s, "chat", new() { ["address"] = new Uri(gate.BaseUrl, "alerts/" + alertPath).ToString() });
        foreach (var (template, secret) in new[] { ("rate-basic", "prom-basic"), ("rate-bearer", "prom-bearer"), ("rate-wrong", "prom-wrong") })
        {
            await s.CreateMetricTemplateAsync(ErrorRate(template, gate.PrometheusAddress, secret));
        }

        await s.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            new AlertProvider { Metadata = new V1ObjectMeta { Name = "chat", NamespaceProperty = s.Namespace }, Spec = new AlertProviderSpec { Type = AlertProviderTypes.Slack, SecretRef = new SecretKeyReference { Name = "chat" } } },
            CanaryApi.Group, CanaryApi.Version, s.Namespace, AlertProvider.KubePluralName);
        await s.CreateCanaryAsync(Analysis("rate-basic", "rate-bearer", "rate-wrong"));
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);

        // The wrong password: every check of that template fails with the provider's answer, and the release is rolled back.
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);
        Assert.Contains(await s.EventMessagesAsync(), m => m.Contains("rate-wrong", StringComparison.Ordinal) && m.Contains("401", StringComparison.Ordinal));

        // Without it, the next release is promoted on the two good credentials.
        var canary = s.Canary()!;
        canary.Spec.Analysis = Analysis("rate-basic", "rate-bearer");
        await s.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(canary, CanaryApi.Group, CanaryApi.Version, s.Namespace, CanaryResource.KubePluralName, s.Name);
        await s.EditTemplateAsync(image: Podinfo.NewImage + "-fixed");
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        await s.WaitUntilAsync(() => gate.AlertPaths.Count >= 2, "alerts posted to the address from the Secret");

        // Used: each credential reached what it protects.
        Assert.Contains(basic, gate.Authorizations);
        Assert.Contains("Bearer " + token, gate.Authorizations);
        Assert.Contains(wrongBasic, gate.Authorizations);
        Assert.All(gate.AlertPaths, p => Assert.Equal("/alerts/" + alertPath, p));

        // Never shown: everything the controller wrote or exposed during both releases.
        var places = new Dictionary<string, string>
        {
            ["controller log"] = string.Join('\n', env.ControllerLogs.Lines()),
            ["events"] = string.Join('\n', env.Store.List(BuiltInResources.Events, null).Items.Select(e => e.ToJsonString())),
            ["canary status"] = env.TryGet(Crds.Canaries, s.Namespace, s.Name)!.ToJsonString(),
            ["metric templates"] = string.Join('\n', env.Store.List(Crds.MetricTemplates, s.Namespace).Items.Select(t => t["status"]?.ToJsonString())),
            ["traces"] = traces.Text(),
            ["metrics"] = await ScrapeControllerAsync(),
        };
        Assert.True(places["traces"].Length > 0 && places["metrics"].Contains("canary_", StringComparison.Ordinal), "nothing was recorded to search");
        foreach (var (place, text) in places)
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a credential ({secret[..4]}…) shows in the {place}");
            }
        }

        output.WriteLine($"searched {places.Sum(p => p.Value.Length)} characters; last failed release: {failed.Status?.Phase}");
    }

    private static string Unique(string prefix) => prefix + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static Task<V1Secret> CreateSecretAsync(CanaryScenario s, string name, Dictionary<string, string> data) =>
        s.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = name }, StringData = data }, s.Namespace);

    private static CanaryAnalysis Analysis(params string[] templates) => new()
    {
        Interval = "2s",
        Threshold = 2,
        StepWeight = 50,
        MaxWeight = 50,
        Metrics = [.. templates.Select(t => new CanaryMetric
        {
            Name = t,
            Interval = "10s",
            TemplateRef = new CrossNamespaceObjectReference { Name = t },
            ThresholdRange = new CanaryThresholdRange { Max = 1 },
        })],
        Alerts = [new CanaryAlert { Name = "team", Severity = AlertSeverities.Info, ProviderRef = new CrossNamespaceObjectReference { Name = "chat" } }],
    };

    /// <summary>Percentage of 5xx answers of the canary's Envoy cluster, through the gate with the Secret's credentials.</summary>
    private static MetricTemplate ErrorRate(string name, string address, string secret) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new MetricTemplateSpec
        {
            Provider = new MetricProvider { Type = MetricProviderTypes.Prometheus, Address = address, SecretRef = new SecretKeyReference { Name = secret } },
            Query = """
                100 - sum(rate(envoy_cluster_upstream_rq{envoy_cluster_name=~"{{ namespace }}_{{ service }}-canary_[0-9]+",envoy_response_code!~"5.*"}[{{ interval }}]))
                / sum(rate(envoy_cluster_upstream_rq{envoy_cluster_name=~"{{ namespace }}_{{ service }}-canary_[0-9]+"}[{{ interval }}])) * 100
                """,
        },
    };

    private async Task<string> ScrapeControllerAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{env.Controller!.Options.MetricsPort}/metrics"));
    }

    /// <summary>Every span of a source, with its tags, events and status, as text to search.</summary>
    private sealed class ActivityRecorder : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _spans = new();

        public ActivityRecorder(string source)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name == source,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a => _spans.Enqueue(string.Join(' ',
                    [a.DisplayName, a.StatusDescription ?? string.Empty,
                     .. a.TagObjects.Select(t => $"{t.Key}={t.Value}"),
                     .. a.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}"))])),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public string Text() => string.Join('\n', _spans);

        public void Dispose() => _listener.Dispose();
    }
}
