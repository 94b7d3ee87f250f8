namespace Canary.Webhooks.Alerts;

/// <summary>Posts alerts to one kind of chat service; one implementation per provider type.</summary>
public interface IAlertNotifier
{
    /// <summary>The AlertProvider <c>type</c> this notifier serves, e.g. slack.</summary>
    string ProviderType { get; }

    /// <summary>Posts <paramref name="message"/>; throws <see cref="AlertDeliveryException"/> when the service refuses or cannot be reached.</summary>
    Task PostAsync(AlertEndpoint endpoint, AlertMessage message, CancellationToken cancellationToken);
}
