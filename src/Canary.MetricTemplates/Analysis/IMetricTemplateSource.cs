using Canary.Api.V1Beta1;

namespace Canary.MetricTemplates.Analysis;

/// <summary>Read access to MetricTemplates (typically the controller's informer cache) and the Secrets they reference.</summary>
public interface IMetricTemplateSource
{
    /// <summary>The MetricTemplate <paramref name="name"/> in <paramref name="ns"/>, or null when absent.</summary>
    MetricTemplate? FindTemplate(string ns, string name);

    /// <summary>The data of Secret <paramref name="name"/> in <paramref name="ns"/>, or null when absent.</summary>
    Task<IReadOnlyDictionary<string, byte[]>?> FindSecretAsync(string ns, string name, CancellationToken cancellationToken);
}
