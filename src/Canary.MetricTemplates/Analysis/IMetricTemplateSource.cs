using Canary.Api.V1Beta1;

namespace Canary.MetricTemplates.Analysis;

/// <summary>Read access to MetricTemplates and Secrets, typically the controller's informer caches.</summary>
public interface IMetricTemplateSource
{
    /// <summary>The MetricTemplate <paramref name="name"/> in <paramref name="ns"/>, or null when absent.</summary>
    MetricTemplate? FindTemplate(string ns, string name);

    /// <summary>The data of Secret <paramref name="name"/> in <paramref name="ns"/>, or null when absent.</summary>
    IReadOnlyDictionary<string, byte[]>? FindSecret(string ns, string name);
}
