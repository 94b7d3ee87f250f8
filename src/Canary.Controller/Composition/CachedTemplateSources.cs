using System.Collections.ObjectModel;
using Canary.Api.V1Beta1;
using Canary.Controller.Informers;
using Canary.MetricTemplates.Analysis;
using Canary.Webhooks.Alerts;

namespace Canary.Controller.Composition;

/// <summary>MetricTemplates and their credential Secrets from the informer caches.</summary>
public sealed class CachedMetricTemplateSource(ControllerCaches caches) : IMetricTemplateSource
{
    /// <inheritdoc />
    public MetricTemplate? FindTemplate(string ns, string name) => caches.MetricTemplates.Store.Get(ns, name);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, byte[]>? FindSecret(string ns, string name) => SecretData.From(caches, ns, name);
}

/// <summary>AlertProviders and their credential Secrets from the informer caches.</summary>
public sealed class CachedAlertProviderSource(ControllerCaches caches) : IAlertProviderSource
{
    /// <inheritdoc />
    public AlertProvider? FindProvider(string namespaceName, string name) => caches.AlertProviders.Store.Get(namespaceName, name);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, byte[]>? FindSecretData(string namespaceName, string name) => SecretData.From(caches, namespaceName, name);
}

/// <summary>A cached Secret's decoded data as a read-only view (the cache is shared).</summary>
internal static class SecretData
{
    public static IReadOnlyDictionary<string, byte[]>? From(ControllerCaches caches, string ns, string name) =>
        caches.Secrets.Store.Get(ns, name) is { } secret
            ? new ReadOnlyDictionary<string, byte[]>(new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal))
            : null;
}
