using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Microsoft.Extensions.Options;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Webhooks.Alerts;

/// <summary>
/// Sends an alert to every alert entry of the Canary whose severity accepts it (or to the global notifier when the Canary has
/// none), honouring muteAlert. Never throws for a delivery problem: failures come back in the result for logging.
/// </summary>
public sealed class AlertDispatcher
{
    private const string GlobalAlertName = "global";
    private readonly Dictionary<string, IAlertNotifier> _notifiers;
    private readonly AlertOptions _options;

    public AlertDispatcher(IEnumerable<IAlertNotifier> notifiers, IOptions<AlertOptions> options)
    {
        ArgumentNullException.ThrowIfNull(notifiers);
        ArgumentNullException.ThrowIfNull(options);
        _notifiers = notifiers.ToDictionary(n => n.ProviderType, StringComparer.Ordinal);
        _options = options.Value;
    }

    /// <summary>Delivers <paramref name="alert"/> for <paramref name="canary"/>; only cancellation of <paramref name="cancellationToken"/> throws.</summary>
    public async Task<AlertDispatchResult> DispatchAsync(
        CanaryResource canary, AlertEvent alert, IAlertProviderSource providers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(providers);
        if (alert.CausedBy?.MuteAlert == true)
        {
            return AlertDispatchResult.MutedResult;
        }

        var canaryNamespace = canary.Metadata?.NamespaceProperty ?? string.Empty;
        var message = new AlertMessage(canary.Metadata?.Name ?? string.Empty, canaryNamespace, alert.Text, alert.Severity, alert.Fields);
        var alerts = canary.Spec?.EffectiveAnalysis()?.Alerts?.Where(a => a is not null).ToList() ?? [];
        if (alerts.Count == 0)
        {
            return _options.GlobalEndpoint is { } global
                ? new AlertDispatchResult(false, [await DeliverAsync(GlobalAlertName, null, global, message, cancellationToken)])
                : new AlertDispatchResult(false, []);
        }

        var deliveries = alerts
            .Where(a => AlertSeverityFilter.Accepts(a.Severity, alert.Severity))
            .Select(a => DeliverAsync(a, canaryNamespace, providers, message, cancellationToken));
        return new AlertDispatchResult(false, await Task.WhenAll(deliveries));
    }

    private async Task<AlertDelivery> DeliverAsync(
        CanaryAlert alert, string canaryNamespace, IAlertProviderSource providers, AlertMessage message, CancellationToken cancellationToken)
    {
        var alertName = alert.Name ?? string.Empty;
        if (string.IsNullOrEmpty(alert.ProviderRef?.Name))
        {
            return new AlertDelivery(alertName, null, null, "providerRef.name is empty");
        }

        var providerNamespace = string.IsNullOrEmpty(alert.ProviderRef.Namespace) ? canaryNamespace : alert.ProviderRef.Namespace;
        var providerKey = $"{providerNamespace}/{alert.ProviderRef.Name}";
        var provider = providers.FindProvider(providerNamespace, alert.ProviderRef.Name);
        if (provider is null)
        {
            return new AlertDelivery(alertName, providerKey, null, $"alert provider {providerKey} not found");
        }

        // The Secret lives next to the provider, as in Flagger.
        var secretData = provider.Spec?.SecretRef?.Name is { Length: > 0 } secretName
            ? await providers.FindSecretDataAsync(providerNamespace, secretName, cancellationToken).ConfigureAwait(false)
            : null;
        if (!AlertEndpointResolver.TryResolve(provider, secretData, out var endpoint, out var error))
        {
            return new AlertDelivery(alertName, providerKey, provider.Spec?.Type, $"alert provider {providerKey}: {error}");
        }

        return await DeliverAsync(alertName, providerKey, endpoint, message, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AlertDelivery> DeliverAsync(
        string alertName, string? providerKey, AlertEndpoint endpoint, AlertMessage message, CancellationToken cancellationToken)
    {
        if (!_notifiers.TryGetValue(endpoint.ProviderType, out var notifier))
        {
            return new AlertDelivery(alertName, providerKey, endpoint.ProviderType, $"provider type '{endpoint.ProviderType}' not supported");
        }

        try
        {
            await notifier.PostAsync(endpoint, message, cancellationToken);
            return new AlertDelivery(alertName, providerKey, endpoint.ProviderType, null);
        }
#pragma warning disable CA1031 // An alert must never break a rollout: any notifier failure is reported, not thrown.
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return new AlertDelivery(alertName, providerKey, endpoint.ProviderType, e.Message);
        }
    }
}
