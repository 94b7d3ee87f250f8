using Canary.Api.Serialization;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Analysis;
using Canary.MetricTemplates.Tests.Fixtures;
using Canary.MetricTemplates.Tests.Support;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>
/// A MetricTemplate as Flagger's docs (docs/gitbook/usage/metrics.md) print it, moved over the way a user would: only
/// the apiVersion changes (and the address points at the test's vendor server), then used by a Canary metric.
/// </summary>
internal static class FlaggerTemplates
{
    public static MetricTemplate Load(string flaggerYaml, Uri? address = null)
    {
        var yaml = flaggerYaml.Replace("apiVersion: flagger.app/v1beta1", "apiVersion: canary.dev/v1beta1", StringComparison.Ordinal);
        var template = CanaryYaml.Deserialize<MetricTemplate>(yaml);
        if (address is not null)
        {
            template.Spec.Provider!.Address = address.ToString();
        }

        return template;
    }

    /// <summary>Checks podinfo's metric <paramref name="metricName"/> through <paramref name="template"/> as the controller does.</summary>
    public static async Task<MetricCheckResult> CheckAsync(
        TestServices services, MetricTemplate template, IReadOnlyDictionary<string, byte[]> secret, string metricName, double? min = null, double? max = null, string interval = "1m")
    {
        var templates = new InMemoryMetricTemplateSource().Add(template);
        if (template.Spec.Provider?.SecretRef?.Name is { } secretName)
        {
            templates.AddSecret(template.Metadata.NamespaceProperty!, secretName, secret);
        }

        var metric = new CanaryMetric
        {
            Name = metricName,
            Interval = interval,
            TemplateRef = new CrossNamespaceObjectReference { Name = template.Metadata.Name, Namespace = template.Metadata.NamespaceProperty },
            ThresholdRange = new CanaryThresholdRange { Min = min, Max = max },
        };
        return Assert.Single(await services.Analyzer.AnalyzeAsync(Canaries.Podinfo(null, null, metric), templates, CancellationToken.None));
    }
}
