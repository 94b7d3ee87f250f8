using System.Text.Json.Serialization;
using Canary.Api.Crd;
using k8s;
using k8s.Models;

namespace Canary.Api.V1Beta1;

/// <summary>A reusable metric query against a metrics backend, referenced by Canary metrics.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class MetricTemplate : IKubernetesObject<V1ObjectMeta>, ISpec<MetricTemplateSpec>, IStatus<ResourceStatus?>
{
    public const string KubeGroup = CanaryApi.Group;
    public const string KubeApiVersion = CanaryApi.Version;
    public const string KubeKind = "MetricTemplate";
    public const string KubePluralName = "metrictemplates";

    /// <summary>APIVersion of this object, canary.dev/v1beta1.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = CanaryApi.ApiVersion;

    /// <summary>Kind of this object, MetricTemplate.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Metrics backend and query.</summary>
    [JsonPropertyName("spec")]
    public MetricTemplateSpec Spec { get; set; } = new();

    /// <summary>Observed state, written by the controller.</summary>
    [JsonPropertyName("status")]
    public ResourceStatus? Status { get; set; }
}

/// <summary>Metrics backend and query of a <see cref="MetricTemplate"/>.</summary>
public sealed class MetricTemplateSpec
{
    /// <summary>Metrics backend the query runs against.</summary>
    [JsonPropertyName("provider")]
    [CrdRequired]
    public MetricProvider? Provider { get; set; }

    /// <summary>Query template; {{ name }}, {{ namespace }}, {{ target }}, {{ service }}, {{ ingress }}, {{ interval }} and {{ variables.x }} are substituted.</summary>
    [JsonPropertyName("query")]
    [CrdRequired]
    public string? Query { get; set; }

    /// <summary>Optional: count or bucket queries rendered per side, so Canaries with analysis.judge compare canary and primary.</summary>
    [JsonPropertyName("judge")]
    public MetricTemplateJudge? Judge { get; set; }
}

/// <summary>Connection to a metrics backend.</summary>
public sealed class MetricProvider
{
    /// <summary>Backend type: prometheus, influxdb, datadog, externalmetrics, stackdriver, cloudwatch, newrelic, graphite, dynatrace, keptn or splunk.</summary>
    [JsonPropertyName("type")]
    [CrdRequired]
    [CrdEnum(MetricProviderTypes.Prometheus, MetricProviderTypes.InfluxDb, MetricProviderTypes.Datadog, MetricProviderTypes.ExternalMetrics,
        MetricProviderTypes.Stackdriver, MetricProviderTypes.CloudWatch, MetricProviderTypes.NewRelic, MetricProviderTypes.Graphite,
        MetricProviderTypes.Dynatrace, MetricProviderTypes.Keptn, MetricProviderTypes.Splunk)]
    public string? Type { get; set; }

    /// <summary>Base URL of the backend's API.</summary>
    [JsonPropertyName("address")]
    public string? Address { get; set; }

    /// <summary>HTTP headers sent with every query (Prometheus).</summary>
    [JsonPropertyName("headers")]
    public IDictionary<string, IList<string>>? Headers { get; set; }

    /// <summary>Secret, in the template's namespace, holding the backend credentials.</summary>
    [JsonPropertyName("secretRef")]
    public SecretKeyReference? SecretRef { get; set; }

    /// <summary>Skip TLS certificate verification. Default false.</summary>
    [JsonPropertyName("insecureSkipVerify")]
    public bool? InsecureSkipVerify { get; set; }

    /// <summary>Cloud region of the backend (CloudWatch).</summary>
    [JsonPropertyName("region")]
    public string? Region { get; set; }
}

/// <summary>Metric backend types accepted in <c>spec.provider.type</c>.</summary>
public static class MetricProviderTypes
{
    public const string Prometheus = "prometheus";
    public const string InfluxDb = "influxdb";
    public const string Datadog = "datadog";
    public const string ExternalMetrics = "externalmetrics";
    public const string Stackdriver = "stackdriver";
    public const string CloudWatch = "cloudwatch";
    public const string NewRelic = "newrelic";
    public const string Graphite = "graphite";
    public const string Dynatrace = "dynatrace";
    public const string Keptn = "keptn";
    public const string Splunk = "splunk";

    /// <summary>Every accepted type.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Prometheus, InfluxDb, Datadog, ExternalMetrics, Stackdriver, CloudWatch, NewRelic, Graphite, Dynatrace, Keptn, Splunk];

    /// <summary>
    /// Types Flagger lists that this controller refuses, with why and what to use instead: both read metrics through a
    /// Kubernetes intermediary whose objects hold the numbers of another backend, which a template can query directly.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Refused { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Keptn] = "it reads KeptnMetric and Analysis objects of Keptn's metrics operator (metrics.keptn.sh), whose values come from another provider; query that provider (prometheus, datadog, dynatrace, ...) with a MetricTemplate instead",
        [ExternalMetrics] = "it reads the Kubernetes External Metrics API (external.metrics.k8s.io), an adapter in front of another backend; query that backend (e.g. datadog, or prometheus behind prometheus-adapter) with a MetricTemplate instead",
    };
}

/// <summary>A list of <see cref="MetricTemplate"/> objects.</summary>
public sealed class MetricTemplateList : IKubernetesObject<V1ListMeta>, IItems<MetricTemplate>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = CanaryApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "MetricTemplateList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<MetricTemplate> Items { get; set; } = [];
}
