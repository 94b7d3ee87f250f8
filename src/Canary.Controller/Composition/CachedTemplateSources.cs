using Canary.Api.V1Beta1;
using Canary.Controller.Informers;
using Canary.Controller.Secrets;
using Canary.MetricTemplates.Analysis;
using Canary.Webhooks.Alerts;

namespace Canary.Controller.Composition;

/// <summary>MetricTemplates from the informer cache; their credential Secrets by targeted read.</summary>
public sealed class CachedMetricTemplateSource(ControllerCaches caches, ReferencedSecrets secrets) : IMetricTemplateSource
{
    /// <inheritdoc />
    public MetricTemplate? FindTemplate(string ns, string name) => caches.MetricTemplates.Store.Get(ns, name);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, byte[]>?> FindSecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        secrets.GetDataAsync(ns, name, cancellationToken);
}

/// <summary>AlertProviders from the informer cache; their credential Secrets by targeted read.</summary>
public sealed class CachedAlertProviderSource(ControllerCaches caches, ReferencedSecrets secrets) : IAlertProviderSource
{
    /// <inheritdoc />
    public AlertProvider? FindProvider(string namespaceName, string name) => caches.AlertProviders.Store.Get(namespaceName, name);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, byte[]>?> FindSecretDataAsync(string namespaceName, string name, CancellationToken cancellationToken) =>
        secrets.GetDataAsync(namespaceName, name, cancellationToken);
}
