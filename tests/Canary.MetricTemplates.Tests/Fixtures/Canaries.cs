using Canary.Api.V1Beta1;
using k8s.Models;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.MetricTemplates.Tests.Fixtures;

/// <summary>Test objects: the podinfo Canary in namespace test of Flagger's tutorials.</summary>
public static class Canaries
{
    public static CanaryResource Podinfo(string? provider = null, string? metricsServer = null, params CanaryMetric[] metrics) => new()
    {
        Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = "test" },
        Spec = new CanarySpec
        {
            Provider = provider,
            MetricsServer = metricsServer,
            TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "podinfo" },
            Service = new CanaryService { Port = 9898 },
            Analysis = new CanaryAnalysis { Metrics = [.. metrics] },
        },
    };

    public static CanaryMetric Metric(string name, double? min = null, double? max = null, string? interval = "1m") => new()
    {
        Name = name,
        Interval = interval,
        ThresholdRange = min is null && max is null ? null : new CanaryThresholdRange { Min = min, Max = max },
    };

    public static MetricTemplate Template(string name, string ns, string query, string? address = null, string type = "prometheus", string? secret = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new MetricTemplateSpec
        {
            Query = query,
            Provider = new MetricProvider
            {
                Type = type,
                Address = address,
                SecretRef = secret is null ? null : new SecretKeyReference { Name = secret },
            },
        },
    };
}
