using Canary.Api.V1Beta1;

namespace Canary.Webhooks.Alerts;

/// <summary>Read access to AlertProviders and Secrets, implemented by the controller over its caches (no API calls here).</summary>
public interface IAlertProviderSource
{
    /// <summary>The AlertProvider, or null when it does not exist.</summary>
    AlertProvider? FindProvider(string namespaceName, string name);

    /// <summary>The Secret's decoded data (key to bytes), or null when it does not exist.</summary>
    IReadOnlyDictionary<string, byte[]>? FindSecretData(string namespaceName, string name);
}
