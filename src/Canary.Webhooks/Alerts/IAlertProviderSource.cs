using Canary.Api.V1Beta1;

namespace Canary.Webhooks.Alerts;

/// <summary>Read access to AlertProviders and the Secrets they reference, implemented by the controller.</summary>
public interface IAlertProviderSource
{
    /// <summary>The AlertProvider, or null when it does not exist.</summary>
    AlertProvider? FindProvider(string namespaceName, string name);

    /// <summary>The Secret's decoded data (key to bytes), or null when it does not exist.</summary>
    Task<IReadOnlyDictionary<string, byte[]>?> FindSecretDataAsync(string namespaceName, string name, CancellationToken cancellationToken);
}
